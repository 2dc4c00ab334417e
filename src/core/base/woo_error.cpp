#include "core/base/woo_error.hpp"

namespace wcfdw {

// Whatever an error quotes (a store's body, a URL, a user's value) ends up
// in a PostgreSQL message: it is made valid UTF-8, without NUL bytes, here,
// once for every error.
WooError::WooError(ErrorKind kind, std::string message, std::string detail, std::string hint)
    : std::runtime_error(sanitize_utf8(message)),
      kind_(kind),
      detail_(sanitize_utf8(detail)),
      hint_(sanitize_utf8(hint)) {}

WooError& WooError::with_detail(std::string d) {
    detail_ = sanitize_utf8(d);
    return *this;
}

WooError& WooError::with_hint(std::string h) {
    hint_ = sanitize_utf8(h);
    return *this;
}

const char* WooError::sqlstate() const noexcept {
    switch (kind_) {
    case ErrorKind::Cancelled: return "57014";         // query_canceled
    case ErrorKind::Timeout: return "08006";           // connection_failure (as postgres_fdw)
    case ErrorKind::Connect: return "08001";           // sqlclient_unable_to_establish_sqlconnection
    case ErrorKind::Tls: return "08001";
    case ErrorKind::Auth: return "28000";              // invalid_authorization_specification
    case ErrorKind::Permission: return "42501";        // insufficient_privilege
    case ErrorKind::NotFound: return "HV000";          // fdw_error
    case ErrorKind::Conflict: return "23505";          // unique_violation
    case ErrorKind::RemoteRejected: return "22023";    // invalid_parameter_value
    case ErrorKind::RateLimited: return "HV000";
    case ErrorKind::RemoteUnavailable: return "HV000";
    case ErrorKind::InvalidResponse: return "08P01";   // protocol_violation
    case ErrorKind::Redirected: return "08001";        // the store is not at this address
    case ErrorKind::HostNotAllowed: return "42501";    // insufficient_privilege
    case ErrorKind::ResponseTooLarge: return "54000";  // program_limit_exceeded
    case ErrorKind::InvalidArgument: return "22023";
    case ErrorKind::InvalidOption: return "HV00D";     // fdw_invalid_option_name
    case ErrorKind::BadValue: return "22P02";          // invalid_text_representation
    case ErrorKind::MissingValue: return "23502";      // not_null_violation
    case ErrorKind::OutOfRange: return "22003";        // numeric_value_out_of_range
    case ErrorKind::NulCharacter: return "22P05";      // untranslatable_character (as jsonb's \u0000)
    case ErrorKind::Unsupported: return "0A000";       // feature_not_supported
    case ErrorKind::Internal: return "XX000";
    }
    return "XX000";
}

const char* error_kind_name(ErrorKind kind) noexcept {
    switch (kind) {
    case ErrorKind::Cancelled: return "cancelled";
    case ErrorKind::Timeout: return "timeout";
    case ErrorKind::Connect: return "connect";
    case ErrorKind::Tls: return "tls";
    case ErrorKind::Auth: return "auth";
    case ErrorKind::Permission: return "permission";
    case ErrorKind::NotFound: return "not_found";
    case ErrorKind::Conflict: return "conflict";
    case ErrorKind::RemoteRejected: return "rejected";
    case ErrorKind::RateLimited: return "rate_limited";
    case ErrorKind::RemoteUnavailable: return "unavailable";
    case ErrorKind::InvalidResponse: return "invalid_response";
    case ErrorKind::Redirected: return "redirected";
    case ErrorKind::HostNotAllowed: return "host_not_allowed";
    case ErrorKind::ResponseTooLarge: return "response_too_large";
    case ErrorKind::InvalidArgument: return "invalid_argument";
    case ErrorKind::InvalidOption: return "invalid_option";
    case ErrorKind::BadValue: return "bad_value";
    case ErrorKind::MissingValue: return "missing_value";
    case ErrorKind::OutOfRange: return "out_of_range";
    case ErrorKind::NulCharacter: return "nul_character";
    case ErrorKind::Unsupported: return "unsupported";
    case ErrorKind::Internal: return "internal";
    }
    return "internal";
}

std::string sanitize_utf8(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool ok = len > 0 && i + len <= text.size() && !(c == 0);
        if (ok && len == 2 && c < 0xC2) ok = false;  // overlong
        for (std::size_t k = 1; ok && k < len; ++k)
            ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
        if (ok && len == 3) {
            const auto c1 = static_cast<unsigned char>(text[i + 1]);
            if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) ok = false;  // overlong, surrogates
        }
        if (ok && len == 4) {
            const auto c1 = static_cast<unsigned char>(text[i + 1]);
            if ((c == 0xF0 && c1 < 0x90) || c > 0xF4 || (c == 0xF4 && c1 >= 0x90)) ok = false;
        }
        if (ok) {
            out.append(text, i, len);
            i += len;
        } else {
            out += '?';
            ++i;
        }
    }
    return out;
}

}  // namespace wcfdw
