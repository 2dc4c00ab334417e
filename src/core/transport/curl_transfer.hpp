// One request of an HttpClient batch as libcurl sees it: the state of its
// current attempt and the callbacks curl calls into. Internal to the
// transport (http_client.cpp and transport_error.cpp).
//
// Callbacks never throw, never call PostgreSQL and never allocate on a path
// that could longjmp; what goes wrong is noted in plain members and the
// batch loop turns it into an error after curl returns.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <curl/curl.h>

#include "core/transport/host_policy.hpp"
#include "core/transport/http_client.hpp"

namespace wcfdw {

struct Transfer {
    enum class State { Pending, Running, Waiting, Done };
    using Clock = std::chrono::steady_clock;

    const HttpRequest* request = nullptr;  // as the caller gave it, unsigned
    std::unique_ptr<HttpRequest> own_request;  // the set's copy, when it keeps one
    bool idempotent = true;
    bool repeat_while_running = true;      // HttpRequest::repeat_while_running
    std::string host;                      // the url's host, for the host policy
    const HostPolicy* policy = nullptr;    // owned by the batch
    State state = State::Pending;
    int attempts = 0;
    Clock::time_point first_started;
    Clock::time_point retry_at;

    // The current attempt. attempt_request owns the body curl sends from.
    HttpRequest attempt_request;
    std::vector<std::string> sensitive;  // secrets plus this attempt's credentials
    CURL* easy = nullptr;
    curl_slist* header_list = nullptr;
    bool in_multi = false;
    // curl finished the current attempt (marked by whoever drove the multi
    // handle; the transfer's own set settles it).
    bool finished = false;
    CURLcode result = CURLE_OK;
    HttpResponse response;
    std::size_t max_bytes = 0;
    std::size_t header_bytes = 0;
    std::size_t header_lines = 0;
    bool too_large = false;
    bool headers_too_large = false;  // over kMaxResponseHeaderBytes or kMaxResponseHeaderLines
    bool callback_failed = false;
    // curl asked to send this attempt a second time (it resends on its own
    // when a reused connection dies before any answer): refused, because
    // the copy carries a used OAuth nonce and may repeat a create. The
    // batch decides whether to retry, signed afresh.
    int prereq_calls = 0;
    bool resend_refused = false;
    // The host policy refused the address curl was about to connect to.
    bool host_refused = false;
    char refused_address[64] = {};
    char error_buffer[CURL_ERROR_SIZE] = {};

    // Response headers beyond these are refused before libcurl's own limits
    // (300 kB; newer versions also count lines), whose error code and words
    // differ by version (curl 7: a receive error, curl 8: CURLE_TOO_LARGE):
    // the store's answer gets the same error everywhere. A real WooCommerce
    // answer has a few kB in a few dozen lines.
    static constexpr std::size_t kMaxResponseHeaderBytes = 256 * 1024;
    static constexpr std::size_t kMaxResponseHeaderLines = 1000;

    // Clears the per-attempt state before the next attempt.
    void reset_attempt();
};

// Every curl option of the transfer's current attempt (t.attempt_request,
// already signed): URL, method, headers, body, limits, TLS, callbacks.
void configure_transfer(Transfer& t, const TransportOptions& options);

// "Name: value" appended to a curl header list; frees the list and throws
// on allocation failure.
curl_slist* append_header(curl_slist* list, const std::string& line);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
