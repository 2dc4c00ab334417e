// The one exception type the core throws. It carries everything the
// PostgreSQL layer needs to raise a proper ereport (SQLSTATE, message,
// detail, hint) without knowing anything about HTTP, and everything a caller
// needs to react (HTTP status, WooCommerce error code, data.resource_id).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace wcfdw {

enum class ErrorKind {
    Cancelled,         // the cancel hook fired (query cancel, statement_timeout)
    Timeout,           // timeout_ms / connect_timeout_ms elapsed
    Connect,           // DNS, refused, reset before a response
    Tls,               // certificate verification or handshake
    Auth,              // 401: wrong key/secret/signature, missing credentials
    Permission,        // 403, or a key without read/write permission
    NotFound,          // 404 from the store
    Conflict,          // duplicate SKU / term exists (data.resource_id set)
    RemoteRejected,    // other 4xx from the store (validation, bad parameter)
    RateLimited,       // 429 after retries were exhausted
    RemoteUnavailable, // 5xx after retries were exhausted
    InvalidResponse,   // HTML where JSON was expected, truncated or invalid JSON, no body
    Redirected,        // a 3xx: the store lives at another address
    HostNotAllowed,    // woocommerce.allowed_hosts refuses the store's address
    ResponseTooLarge,  // max_response_bytes exceeded while reading
    InvalidArgument,   // bad option value or argument given by the user
    InvalidOption,     // unknown option name, or an option in the wrong place
    BadValue,          // a store value that does not fit its column's type
    MissingValue,      // a write leaves out a member WooCommerce needs
    OutOfRange,        // a store number beyond what its column (or a double) holds
    NulCharacter,      // text with U+0000, which PostgreSQL text cannot hold
    Unsupported,       // an operation the resource or the extension does not offer
    Internal,          // a bug or resource exhaustion inside the extension
};

// Message, detail and hint are always valid UTF-8 without NUL bytes (the
// constructor replaces anything else with '?').
class WooError : public std::runtime_error {
public:
    WooError(ErrorKind kind, std::string message, std::string detail = {}, std::string hint = {});

    ErrorKind kind() const noexcept { return kind_; }
    // Five-character SQLSTATE, e.g. "28000"; the PostgreSQL layer turns it
    // into an errcode. Chosen after postgres_fdw where it has a precedent.
    const char* sqlstate() const noexcept;
    const std::string& detail() const noexcept { return detail_; }
    const std::string& hint() const noexcept { return hint_; }

    // Filled when the error came from a store response.
    int http_status = 0;
    std::string woo_code;         // WooCommerce/WordPress "code", e.g. product_invalid_sku
    std::int64_t resource_id = 0; // data.resource_id where WooCommerce sends it
    int retries = 0;              // retries spent before giving up

    WooError& with_detail(std::string d);
    WooError& with_hint(std::string h);

private:
    ErrorKind kind_;
    std::string detail_;
    std::string hint_;
};

// Stable lower-case name of a kind ("auth", "timeout"...): used as error_code
// in test_connection results and in logs.
const char* error_kind_name(ErrorKind kind) noexcept;

// Replaces every byte that is not part of a valid UTF-8 sequence with '?',
// so that text from a store (an HTML page, a binary body) can be put into a
// PostgreSQL message or a jsonb value safely.
std::string sanitize_utf8(const std::string& text);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
