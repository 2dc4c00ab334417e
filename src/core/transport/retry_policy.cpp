#include "core/transport/retry_policy.hpp"

#include <curl/curl.h>

#include "core/base/text.hpp"

namespace wcfdw {

bool request_is_idempotent(const HttpRequest& request) noexcept {
    if (request.idempotent) return *request.idempotent;
    return request.method != HttpMethod::Post;
}

bool request_repeats_while_running(const HttpRequest& request) noexcept {
    if (request.repeat_while_running) return *request.repeat_while_running;
    return request_is_idempotent(request);
}

bool status_is_retryable(long status, bool idempotent, bool repeat_while_running) noexcept {
    if (status == 429) return true;
    if (status == 504) return idempotent && repeat_while_running;
    return idempotent && (status == 502 || status == 503);
}

long backoff_delay_ms(int retry, long base_ms, long max_ms, double unit) noexcept {
    if (base_ms <= 0 || max_ms <= 0) return 0;
    long delay = base_ms;
    for (int i = 0; i < retry && delay < max_ms; ++i) delay = delay > max_ms / 2 ? max_ms : delay * 2;
    if (delay > max_ms) delay = max_ms;
    if (unit < 0) unit = 0;
    if (unit > 1) unit = 1;
    const long half = delay / 2;
    return half + static_cast<long>(unit * static_cast<double>(delay - half));
}

std::optional<long> retry_after_ms(const std::string& value, std::time_t now) {
    const std::string text = trim_ascii_space(value);
    if (text.empty()) return std::nullopt;

    bool digits = true;
    for (const char c : text) digits = digits && is_ascii_digit(c);
    if (digits) {
        // Anything beyond a day is as good as "never" for a statement; the
        // caller caps it at retry_max_ms anyway.
        if (text.size() > 6) return 86400L * 1000L;
        return std::stol(text) * 1000L;
    }
    // curl_getdate reads all three HTTP-date forms (IMF-fixdate, RFC 850, asctime).
    const std::time_t when = curl_getdate(text.c_str(), nullptr);
    if (when == -1) return std::nullopt;
    if (when <= now) return 0L;
    const double seconds = std::difftime(when, now);
    return seconds > 86400.0 ? 86400L * 1000L : static_cast<long>(seconds) * 1000L;
}

}  // namespace wcfdw
