#include "core/woo/options.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <initializer_list>

#include <nlohmann/json.hpp>

#include "core/base/text.hpp"
#include "core/transport/url.hpp"
#include "core/base/woo_error.hpp"
#include "core/woo/resources.hpp"

namespace wcfdw {
namespace {

enum class ValueType { Text, Bool, Integer, Enum, Resource };  // Resource: a name of the resource catalogue

struct OptionSpec {
    const char* name;
    std::initializer_list<OptionCatalog> catalogs;
    ValueType type;
    long min_value;
    long max_value;
    std::initializer_list<const char*> choices;  // for Enum
    bool secret;
};

constexpr OptionCatalog S = OptionCatalog::Server;
constexpr OptionCatalog U = OptionCatalog::UserMapping;
constexpr OptionCatalog T = OptionCatalog::ForeignTable;
constexpr OptionCatalog C = OptionCatalog::Column;
constexpr OptionCatalog X = OptionCatalog::TestConnection;

// The single list of options. Order is the order hints list them in.
const OptionSpec kOptions[] = {
    {"url", {S}, ValueType::Text, 0, 0, {}, false},
    {"api_prefix", {S, X}, ValueType::Text, 0, 0, {}, false},
    {"api_version", {S, X}, ValueType::Text, 0, 0, {}, false},
    {"auth", {S, X}, ValueType::Enum, 0, 0, {"auto", "basic", "query_string", "oauth1"}, false},
    {"oauth_signature_method", {S, X}, ValueType::Enum, 0, 0, {"HMAC-SHA256", "HMAC-SHA1"}, false},
    {"timeout_ms", {S, X}, ValueType::Integer, 1, 3600000, {}, false},
    {"connect_timeout_ms", {S, X}, ValueType::Integer, 1, 600000, {}, false},
    {"max_retries", {S, X}, ValueType::Integer, 0, 20, {}, false},
    {"concurrency", {S}, ValueType::Integer, 1, 32, {}, false},
    {"verify_tls", {S, X}, ValueType::Bool, 0, 0, {}, false},
    {"ca_file", {S, X}, ValueType::Text, 0, 0, {}, false},
    {"max_response_bytes", {S, X}, ValueType::Integer, 1024, LONG_MAX, {}, false},
    {"use_remote_estimate", {S, T}, ValueType::Bool, 0, 0, {}, false},
    {"batch_size", {S, T}, ValueType::Integer, 1, 100, {}, false},
    {"require_write", {X}, ValueType::Bool, 0, 0, {}, false},
    {"consumer_key", {U}, ValueType::Text, 0, 0, {}, false},
    {"consumer_secret", {U}, ValueType::Text, 0, 0, {}, true},
    {"webhook_secret", {U}, ValueType::Text, 0, 0, {}, true},
    {"resource", {T}, ValueType::Resource, 0, 0, {}, false},
    {"rowid_column", {T}, ValueType::Text, 0, 0, {}, false},
    {"trash", {T}, ValueType::Bool, 0, 0, {}, false},
    {"field", {C}, ValueType::Text, 0, 0, {}, false},
};

const OptionSpec* find_spec(const std::string& name) {
    for (const auto& spec : kOptions)
        if (name == spec.name) return &spec;
    return nullptr;
}

bool in_catalog(const OptionSpec& spec, OptionCatalog catalog) {
    return std::find(spec.catalogs.begin(), spec.catalogs.end(), catalog) != spec.catalogs.end();
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += ", ";
        out += item;
    }
    return out;
}

long parse_integer(const OptionSpec& spec, const std::string& value) {
    errno = 0;
    char* end = nullptr;
    long parsed = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || end == value.c_str() || *end != '\0' || errno == ERANGE || parsed < spec.min_value ||
        parsed > spec.max_value) {
        std::string range = std::to_string(spec.min_value) + " to " +
                            (spec.max_value == LONG_MAX ? std::string("any larger value") : std::to_string(spec.max_value));
        throw WooError(ErrorKind::InvalidArgument,
                       "invalid value for option \"" + std::string(spec.name) + "\": \"" + value + "\"", {},
                       "Use a whole number from " + range + ".");
    }
    return parsed;
}

void check_value(const OptionSpec& spec, const std::string& value) {
    switch (spec.type) {
    case ValueType::Text:
        if (value.empty())
            throw WooError(ErrorKind::InvalidArgument, "option \"" + std::string(spec.name) + "\" must not be empty");
        break;
    case ValueType::Bool:
        parse_bool_option(spec.name, value);
        break;
    case ValueType::Integer:
        parse_integer(spec, value);
        break;
    case ValueType::Enum: {
        std::vector<std::string> choices;
        for (const char* choice : spec.choices) {
            if (ascii_lower(value) == ascii_lower(choice)) return;  // locale-independent
            choices.emplace_back(choice);
        }
        throw WooError(ErrorKind::InvalidArgument,
                       "invalid value for option \"" + std::string(spec.name) + "\": \"" + value + "\"", {},
                       "Valid values are: " + join(choices) + ".");
    }
    case ValueType::Resource:
        if (!find_resource(value))
            throw WooError(ErrorKind::InvalidArgument,
                           "invalid value for option \"" + std::string(spec.name) + "\": \"" + value + "\"", {},
                           "Valid values are: " + resource_names() + ".");
        break;
    }
}

}  // namespace

const char* option_catalog_name(OptionCatalog catalog) noexcept {
    switch (catalog) {
    case OptionCatalog::Wrapper: return "foreign-data wrapper";
    case OptionCatalog::Server: return "server";
    case OptionCatalog::UserMapping: return "user mapping";
    case OptionCatalog::ForeignTable: return "foreign table";
    case OptionCatalog::Column: return "column";
    case OptionCatalog::TestConnection: return "test_connection";
    }
    return "unknown";
}

std::vector<std::string> valid_option_names(OptionCatalog catalog) {
    std::vector<std::string> names;
    for (const auto& spec : kOptions)
        if (in_catalog(spec, catalog)) names.emplace_back(spec.name);
    return names;
}

bool is_secret_option(const std::string& name) noexcept {
    const OptionSpec* spec = find_spec(name);
    return spec && spec->secret;
}

bool parse_bool_option(const std::string& name, const std::string& value) {
    const std::string v = ascii_lower(value);
    if (v == "true" || v == "on" || v == "yes" || v == "1" || v == "t") return true;
    if (v == "false" || v == "off" || v == "no" || v == "0" || v == "f") return false;
    throw WooError(ErrorKind::InvalidArgument, "invalid value for boolean option \"" + name + "\": \"" + value + "\"",
                   {}, "Use true or false.");
}

void validate_options(OptionCatalog catalog, const OptionList& options) {
    std::vector<std::string> seen;
    for (const auto& [name, value] : options) {
        const OptionSpec* spec = find_spec(name);
        if (!spec || !in_catalog(*spec, catalog)) {
            std::string hint;
            const auto valid = valid_option_names(catalog);
            if (spec && spec->secret)
                hint = "Secrets belong in a user mapping: CREATE USER MAPPING FOR CURRENT_USER SERVER ... OPTIONS (" +
                       name + " '...').";
            else if (valid.empty())
                hint = "There are no valid options in this context.";
            else
                hint = "Valid options in this context are: " + join(valid) + ".";
            throw WooError(ErrorKind::InvalidOption,
                           "invalid option \"" + name + "\" for a woocommerce_fdw " + option_catalog_name(catalog), {},
                           hint);
        }
        if (std::find(seen.begin(), seen.end(), name) != seen.end())
            throw WooError(ErrorKind::InvalidOption, "option \"" + name + "\" given more than once");
        seen.push_back(name);
        if (spec->secret) {
            if (value.empty())
                throw WooError(ErrorKind::InvalidArgument, "option \"" + name + "\" must not be empty");
            continue;  // never quote a secret
        }
        check_value(*spec, value);
        if (name == "url") normalise_store_url(value);  // throws with its own hint
    }
    if (catalog == OptionCatalog::Server && std::find(seen.begin(), seen.end(), "url") == seen.end())
        throw WooError(ErrorKind::InvalidOption, "a woocommerce_fdw server needs the option \"url\"", {},
                       "Add it: CREATE SERVER ... FOREIGN DATA WRAPPER woocommerce_fdw OPTIONS (url 'https://shop.example.com').");
}

std::string option_value(const OptionList& options, const std::string& name, const std::string& fallback) {
    for (const auto& [n, v] : options)
        if (n == name) return v;
    return fallback;
}

OptionList options_from_json(const std::string& json_text) {
    OptionList list;
    if (json_text.empty()) return list;
    nlohmann::json parsed;
    try {
        parsed = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::exception&) {
        throw WooError(ErrorKind::InvalidArgument, "options must be a JSON object");
    }
    if (parsed.is_null()) return list;
    if (!parsed.is_object())
        throw WooError(ErrorKind::InvalidArgument, "options must be a JSON object", {},
                       "Pass for example '{\"auth\": \"query_string\", \"timeout_ms\": 5000}'.");
    for (const auto& [name, value] : parsed.items()) {
        if (value.is_string())
            list.emplace_back(name, value.get<std::string>());
        else if (value.is_boolean())
            list.emplace_back(name, value.get<bool>() ? "true" : "false");
        else if (value.is_number_integer())
            list.emplace_back(name, std::to_string(value.get<long long>()));
        else
            throw WooError(ErrorKind::InvalidArgument, "option \"" + name + "\" must be a string, a boolean or a whole number");
    }
    return list;
}

StoreConfig store_config_from_options(const std::string& url, const OptionList& server_options,
                                      const Credentials& credentials) {
    StoreConfig config;
    config.url = normalise_store_url(url.empty() ? option_value(server_options, "url") : url);
    config.api_prefix = option_value(server_options, "api_prefix", config.api_prefix);
    config.api_version = option_value(server_options, "api_version", config.api_version);
    // Trim slashes so that the endpoint join is always exactly one '/'.
    auto trim_slashes = [](std::string s) {
        while (!s.empty() && s.front() == '/') s.erase(s.begin());
        while (!s.empty() && s.back() == '/') s.pop_back();
        return s;
    };
    config.api_prefix = trim_slashes(config.api_prefix);
    config.api_version = trim_slashes(config.api_version);
    config.auth = resolve_auth_mode(parse_auth_mode(option_value(server_options, "auth", "auto")), config.url);
    config.signature_method = parse_signature_method(option_value(server_options, "oauth_signature_method", "HMAC-SHA256"));
    config.credentials = credentials;

    auto integer = [&](const char* name, long fallback) {
        const std::string v = option_value(server_options, name);
        return v.empty() ? fallback : parse_integer(*find_spec(name), v);
    };
    TransportOptions& t = config.transport;
    t.timeout_ms = integer("timeout_ms", t.timeout_ms);
    t.connect_timeout_ms = integer("connect_timeout_ms", t.connect_timeout_ms);
    t.max_retries = static_cast<int>(integer("max_retries", t.max_retries));
    t.concurrency = static_cast<int>(integer("concurrency", t.concurrency));
    t.max_response_bytes = static_cast<std::size_t>(integer("max_response_bytes", static_cast<long>(t.max_response_bytes)));
    const std::string verify = option_value(server_options, "verify_tls");
    if (!verify.empty()) t.verify_tls = parse_bool_option("verify_tls", verify);
    t.ca_file = option_value(server_options, "ca_file");
    return config;
}

}  // namespace wcfdw
