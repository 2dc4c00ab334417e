// Every option woocommerce_fdw accepts, where it may appear and what values
// it takes: one table drives the FDW validator, test_connection's options
// argument and the documentation check. Modelled on postgres_fdw's option.c.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/transport/auth.hpp"
#include "core/transport/http_client.hpp"

namespace wcfdw {

enum class OptionCatalog { Wrapper, Server, UserMapping, ForeignTable, Column, TestConnection };
const char* option_catalog_name(OptionCatalog catalog) noexcept;

using OptionList = std::vector<std::pair<std::string, std::string>>;

// Throws WooError(InvalidOption) for an unknown name or one that belongs to
// another catalog (the hint lists the valid names for this one), and
// WooError(InvalidArgument) for a bad value. Secret values are never quoted
// in a message. Checks that required options (url on a server) are present.
void validate_options(OptionCatalog catalog, const OptionList& options);

// Names valid in `catalog`, in table order (for hints and docs).
std::vector<std::string> valid_option_names(OptionCatalog catalog);
bool is_secret_option(const std::string& name) noexcept;

// Value of `name` in `options`, or `fallback` when absent.
std::string option_value(const OptionList& options, const std::string& name, const std::string& fallback = {});

// How to reach one store: what a foreign server plus a user mapping (or the
// arguments of test_connection) describe. Built from validated options.
struct StoreConfig {
    std::string url;                  // normalised store URL (no trailing slash)
    std::string api_prefix = "wp-json";
    std::string api_version = "wc/v3";
    AuthMode auth = AuthMode::Auto;
    OAuthSignatureMethod signature_method = OAuthSignatureMethod::HmacSha256;
    Credentials credentials;
    TransportOptions transport;
};

// `server_options` are those of a server (or test_connection's options);
// url may come from them or from `url` when non-empty. Validates everything
// and throws like validate_options.
StoreConfig store_config_from_options(const std::string& url, const OptionList& server_options,
                                      const Credentials& credentials);

// A jsonb-style object {"auth": "basic", "verify_tls": false, "timeout_ms":
// 5000} as an option list: strings as they are, booleans and numbers as
// their text. Anything else (arrays, objects, invalid JSON) throws
// InvalidArgument naming the member.
OptionList options_from_json(const std::string& json_text);

// "true"/"on"/"yes"/"1" and their opposites, as PostgreSQL's parse_bool does.
bool parse_bool_option(const std::string& name, const std::string& value);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
