// Failures of the transport itself (no HTTP answer to interpret): whether
// an attempt may be repeated, and the WooError that describes it. Internal
// to the transport.
#pragma once

#include <curl/curl.h>

#include "core/base/woo_error.hpp"
#include "core/transport/curl_transfer.hpp"

namespace wcfdw {

enum class FailureClass {
    NotSent,     // the request provably never left: safe to retry for any method
    MaybeSent,   // broke off after sending may have begun: retry only if idempotent
    Final,       // retrying would not help (TLS, size cap, host policy, our own bugs)
};

FailureClass classify_failure(const Transfer& t, CURLcode code, bool sent);

// The error for the transfer's last attempt, secrets masked.
WooError transport_error(const Transfer& t, CURLcode code, bool sent, const TransportOptions& options);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
