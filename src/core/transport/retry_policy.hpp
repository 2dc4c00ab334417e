// When the transport may send a request again and how long it waits first.
// Kept apart from the curl loop so that the rules can be read (and tested)
// on their own.
#pragma once

#include <ctime>
#include <optional>
#include <string>

#include "core/transport/http_client.hpp"

namespace wcfdw {

// HttpRequest::idempotent, or the method's default (POST is not).
bool request_is_idempotent(const HttpRequest& request) noexcept;

// HttpRequest::repeat_while_running, or whether it is idempotent.
bool request_repeats_while_running(const HttpRequest& request) noexcept;

// 429 is retried for every method: the store turned the request away before
// doing anything. 502/503/504 only when a repeat is harmless, because a proxy
// may give up while PHP carries on creating the products; 504 (the gateway
// stopped waiting, PHP may still run) only when running twice at once is.
bool status_is_retryable(long status, bool idempotent, bool repeat_while_running = true) noexcept;

// Backoff before retry number `retry` (0 for the first): base * 2^retry,
// capped at max_ms, then spread into [d/2, d] by `unit` in [0, 1) so that
// parallel clients do not return in step.
long backoff_delay_ms(int retry, long base_ms, long max_ms, double unit) noexcept;

// A Retry-After value (delta-seconds or an HTTP-date) as milliseconds from
// `now`; nullopt when absent or not understood. A date in the past is 0.
std::optional<long> retry_after_ms(const std::string& value, std::time_t now);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
