// The key WooCommerce POSTs to the callback_url of its /wc-auth/v1/authorize
// flow (real/80b): {"key_id": 6, "user_id": "<our state token>",
// "consumer_key": "ck_...", "consumer_secret": "cs_...", "key_permissions":
// "read_write"}. Unsigned: what makes it trustworthy is the one-time state
// token WooCommerce echoes as user_id. Errors never quote a value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace wcfdw::webhook {

struct AuthCallback {
    std::int64_t key_id = 0;
    std::string state;             // the user_id parameter, echoed as sent
    std::string consumer_key;
    std::string consumer_secret;
    std::string permissions;       // read, write or read_write

    ~AuthCallback();               // overwrites the secret
};

constexpr std::size_t kMaxAuthCallbackBytes = 16 * 1024;

// Throws WooError(InvalidArgument) naming the member that is missing or
// malformed (never its value).
AuthCallback parse_auth_callback(std::string_view body);

// Lower-case hex SHA-256: the state token is kept only as this.
std::string sha256_hex(std::string_view text);

}  // namespace wcfdw::webhook

#include "core/base/pure_cpp.hpp"
