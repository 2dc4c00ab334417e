// Hints for a store that refused the keys (HTTP 401), worded for where the
// keys came from: the arguments of test_connection(url, key, secret), a user
// mapping (test_server, foreign tables, sync), or a stored connection
// (test_connection(connection_id)). A hint must name a fix that exists in
// the form that was called.
#pragma once

#include <cstdint>
#include <string>

namespace wcfdw {

struct CredentialSource {
    enum class Kind { UserMapping, Arguments, Connection };
    Kind kind = Kind::UserMapping;
    std::string server_name;         // UserMapping: the foreign server, when known
    std::int64_t connection_id = 0;  // Connection

    static CredentialSource arguments() { return {Kind::Arguments, {}, 0}; }
    static CredentialSource user_mapping(std::string server) { return {Kind::UserMapping, std::move(server), 0}; }
    static CredentialSource connection(std::int64_t id) { return {Kind::Connection, {}, id}; }
};

// The hint for a 401 whose text (WooCommerce's message, or a message
// quoting it) says the key or the secret is wrong; empty when the text is
// about something else (missing header, permissions, OAuth clock, nonce).
std::string credential_hint(const std::string& text, const CredentialSource& source);

// For a 401 nothing more is known about: where to check the keys.
std::string check_keys_hint(const CredentialSource& source);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
