#include "core/woo/connection_test.hpp"

#include <chrono>
#include <memory>

#include "core/transport/auth.hpp"
#include "core/woo/store_client.hpp"
#include "core/base/woo_error.hpp"

namespace wcfdw {
namespace {

using Clock = std::chrono::steady_clock;

// The error's hint, or for wrong keys the one worded for where they came from.
std::string hint_for(const WooError& e, const CredentialSource& source) {
    if (e.kind() != ErrorKind::Auth) return e.hint();
    std::string hint = credential_hint(e.what(), source);
    if (hint.empty() && e.hint() == check_keys_hint(CredentialSource{})) hint = check_keys_hint(source);
    return hint.empty() ? e.hint() : hint;
}

nlohmann::json failure(const WooError& e, const std::string& auth, const CredentialSource& source) {
    nlohmann::json out;
    out["ok"] = false;
    out["status"] = e.http_status;
    out["error_code"] = e.woo_code.empty() ? error_kind_name(e.kind()) : e.woo_code;
    out["error_kind"] = error_kind_name(e.kind());
    out["sqlstate"] = e.sqlstate();  // what raising this failure would use (create_connection does)
    out["message"] = sanitize_utf8(e.what());
    out["hint"] = sanitize_utf8(hint_for(e, source));
    if (!auth.empty()) out["auth"] = auth;
    return out;
}

std::string text_at(const nlohmann::json& body, const char* object, const char* member) {
    if (!body.is_object() || !body.contains(object) || !body[object].is_object()) return {};
    const auto& o = body[object];
    if (!o.contains(member) || !o[member].is_string()) return {};
    return o[member].get<std::string>();
}

// The store's own WooCommerce and WordPress versions, from system_status.
struct Probe {
    StoreResponse response;
    double latency_ms = 0;
};

Probe read_system_status(StoreClient& client) {
    const auto start = Clock::now();
    Probe probe;
    probe.response = client.get("system_status", {{"_fields", "environment"}});
    probe.latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (!probe.response.body.is_object() || !probe.response.body.contains("environment"))
        throw WooError(ErrorKind::InvalidResponse, "store's system_status answer has no \"environment\" object", {},
                       "The url answers JSON but not as WooCommerce does; check url, api_prefix and api_version.");
    return probe;
}

// An empty batch: needs write permission, changes nothing.
void probe_write_permission(StoreClient& client) {
    const nlohmann::json empty = nlohmann::json::object();
    HttpRequest request = client.make_request(HttpMethod::Post, "products/batch", {}, &empty);
    request.idempotent = true;  // nothing to duplicate
    client.send(request);
}

}  // namespace

nlohmann::json test_store_connection(const ConnectionTestInput& input, CancelHook cancel_hook) {
    validate_options(OptionCatalog::TestConnection, input.options);  // unknown names raise
    const bool require_write = parse_bool_option("require_write", option_value(input.options, "require_write", "true"));
    const AuthMode requested = parse_auth_mode(option_value(input.options, "auth", "auto"));

    if (input.credentials.consumer_key.empty() || input.credentials.consumer_secret.empty()) {
        WooError e(ErrorKind::InvalidArgument, "consumer key and consumer secret are required", {},
                   "Create a key under WooCommerce > Settings > Advanced > REST API and pass both parts.");
        return failure(e, {}, input.credentials_source);
    }

    std::unique_ptr<StoreClient> client;
    std::string auth_name;
    auto connect = [&](AuthMode mode) {
        OptionList options = input.options;
        for (auto& [name, value] : options)
            if (name == "auth") value = auth_mode_name(mode);
        if (mode != AuthMode::Auto && option_value(options, "auth").empty()) options.emplace_back("auth", auth_mode_name(mode));
        StoreConfig config = store_config_from_options(input.store_url, options, input.credentials);
        config.transport.deadline = input.deadline;
        auth_name = auth_mode_name(config.auth);
        client = std::make_unique<StoreClient>(std::move(config));
        client->http().set_cancel_hook(cancel_hook);
    };

    try {
        connect(requested);
        Probe probe;
        std::string warning;
        try {
            probe = read_system_status(*client);
        } catch (const WooError& e) {
            // WooCommerce's advice, followed: when Basic auth meets the 401 of
            // "no credentials reached PHP", retry with query-string keys.
            const bool header_stripped = e.http_status == 401 && e.woo_code == "woocommerce_rest_cannot_view";
            if (!(requested == AuthMode::Auto && client->config().auth == AuthMode::Basic && header_stripped)) throw;
            connect(AuthMode::QueryString);
            try {
                probe = read_system_status(*client);
            } catch (const WooError& again) {
                if (!(again.http_status == 401 && again.woo_code == "woocommerce_rest_cannot_view")) throw;
                // WooCommerce answers an unknown key exactly as if no
                // credentials had been sent, with either method.
                nlohmann::json out = failure(again, auth_mode_name(AuthMode::Basic), input.credentials_source);
                out["message"] = "store answered HTTP 401 (woocommerce_rest_cannot_view) to Basic auth and to "
                                 "query-string keys";
                out["hint"] = "The store does not recognise the consumer key (WooCommerce answers an unknown key as "
                              "if no credentials were sent): copy it again from WooCommerce > Settings > Advanced > "
                              "REST API, or create a new key.";
                return out;
            }
            warning = "The store ignored the Authorization header (the web server strips it); query-string keys "
                      "work. Set the server option auth 'query_string', or pass the header through to PHP.";
        }

        std::string permissions = "read";
        try {
            probe_write_permission(*client);
            permissions = "read_write";
        } catch (const WooError& e) {
            if (e.kind() == ErrorKind::Cancelled) throw;
            if (e.kind() != ErrorKind::Permission && e.kind() != ErrorKind::Auth) throw;
            if (require_write) {
                nlohmann::json out = failure(e, auth_name, input.credentials_source);
                out["error_code"] = "read_only_key";
                out["sqlstate"] = "42501";  // insufficient_privilege
                out["message"] = "the API key can read but not write";
                out["hint"] = "Exports and writes need a key with Read/Write permission: edit the key under "
                              "WooCommerce > Settings > Advanced > REST API, or pass options {\"require_write\": "
                              "false} to accept a read-only link.";
                return out;
            }
        }

        const auto& body = probe.response.body;
        nlohmann::json out;
        out["ok"] = true;
        out["status"] = probe.response.http.status;
        out["woocommerce_version"] = text_at(body, "environment", "version");
        out["wordpress_version"] = text_at(body, "environment", "wp_version");
        out["auth"] = auth_name;
        out["permissions"] = permissions;
        out["latency_ms"] = static_cast<long>(probe.latency_ms + 0.5);
        out["store_url"] = client->config().url;
        out["api_url"] = client->endpoint_url("");
        if (!warning.empty()) out["warning"] = warning;
        return out;
    } catch (const WooError& e) {
        if (e.kind() == ErrorKind::Cancelled || e.kind() == ErrorKind::InvalidOption || e.kind() == ErrorKind::Internal)
            throw;
        return failure(e, auth_name, input.credentials_source);
    }
}

}  // namespace wcfdw
