#include "core/transport/curl_transfer.hpp"

#include <sys/socket.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "core/base/text.hpp"
#include "core/base/woo_error.hpp"
#include "core/transport/url.hpp"

namespace wcfdw {

namespace {

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) noexcept {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    try {
        // Checked before appending, on the decoded bytes curl hands over: a
        // store (or a gzip bomb) can never make the backend hold more than
        // max_response_bytes of body, whatever the wire carried.
        if (n > t->max_bytes - std::min(t->max_bytes, t->response.body.size())) {
            t->too_large = true;
            return 0;
        }
        t->response.body.append(data, n);
        return n;
    } catch (...) {
        t->callback_failed = true;
        return 0;
    }
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) noexcept {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    try {
        t->header_bytes += n;
        if (t->header_bytes > t->max_bytes) {
            t->too_large = true;
            return 0;
        }
        if (t->header_bytes > Transfer::kMaxResponseHeaderBytes ||
            ++t->header_lines > Transfer::kMaxResponseHeaderLines) {
            t->headers_too_large = true;
            return 0;
        }
        const std::string line = trim_ascii_space(std::string(data, n));
        // A status line starts a new response (after a 100 Continue, or a
        // proxy's CONNECT answer): only the last one's headers count.
        if (line.compare(0, 5, "HTTP/") == 0) {
            t->response.headers.clear();
            return n;
        }
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) return n;
        std::string name = ascii_lower(trim_ascii_space(line.substr(0, colon)));
        std::string value = trim_ascii_space(line.substr(colon + 1));
        if (name == "content-length") {
            // Reserving up front avoids doubling reallocations of a large body.
            char* end = nullptr;
            const unsigned long long length = std::strtoull(value.c_str(), &end, 10);
            if (end && *end == '\0' && length <= t->max_bytes && t->response.body.empty())
                t->response.body.reserve(static_cast<std::size_t>(length));
        }
        t->response.headers[std::move(name)] = std::move(value);
        return n;
    } catch (...) {
        t->callback_failed = true;
        return 0;
    }
}

std::optional<IpAddress> address_of(const sockaddr* sa) {
    IpAddress a;
    if (sa->sa_family == AF_INET) {
        std::memcpy(a.bytes, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, 4);
        return a;
    }
    if (sa->sa_family == AF_INET6) {
        // Through text, so that IPv4-mapped addresses read as IPv4.
        a.v6 = true;
        std::memcpy(a.bytes, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, 16);
        return IpAddress::parse(a.text());
    }
    return std::nullopt;
}

void note_refusal(Transfer* t, const char* address) noexcept {
    t->host_refused = true;
    std::snprintf(t->refused_address, sizeof t->refused_address, "%s", address);
}

// Every connection curl opens passes here with the address it resolved:
// the host policy judges the address really connected to, so a name that
// resolves elsewhere at connect time (DNS rebinding) is caught.
curl_socket_t on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* address) noexcept {
    auto* t = static_cast<Transfer*>(user);
    if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
    try {
        const std::optional<IpAddress> ip = address_of(&address->addr);
        if (!ip) {
            note_refusal(t, "an address that is neither IPv4 nor IPv6");
            return CURL_SOCKET_BAD;
        }
        if (!t->policy || !t->policy->allows(t->host, *ip)) {
            note_refusal(t, ip->text().c_str());
            return CURL_SOCKET_BAD;
        }
    } catch (...) {
        note_refusal(t, "an address that could not be checked");  // fail closed
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype, address->protocol);
}

// Called right before each request goes out on a connection, new or
// reused.
int on_prereq(void* user, char* primary_ip, char*, int, int) noexcept {
    auto* t = static_cast<Transfer*>(user);
    if (++t->prereq_calls > 1) {
        // curl's own resend of this attempt, after the connection it reused
        // died: the request carries the same OAuth nonce (refused as reused
        // by the store) and may repeat a create. The batch retries instead,
        // signed afresh, if the request is safe to repeat.
        t->resend_refused = true;
        return CURL_PREREQFUNC_ABORT;
    }
    try {
        // A reused connection was opened under the policy of its time.
        const std::optional<IpAddress> ip = IpAddress::parse(primary_ip ? primary_ip : "");
        if (!ip || !t->policy || !t->policy->allows(t->host, *ip)) {
            note_refusal(t, primary_ip ? primary_ip : "?");
            return CURL_PREREQFUNC_ABORT;
        }
    } catch (...) {
        note_refusal(t, "an address that could not be checked");
        return CURL_PREREQFUNC_ABORT;
    }
    return CURL_PREREQFUNC_OK;
}

template <typename T>
void set_option(CURL* easy, CURLoption option, T value) {
    const CURLcode rc = curl_easy_setopt(easy, option, value);
    if (rc != CURLE_OK)
        throw WooError(ErrorKind::Internal, std::string("libcurl rejected an option: ") + curl_easy_strerror(rc),
                       "The installed libcurl may be too old; woocommerce_fdw needs 7.87 or later.");
}

bool has_header(const HttpRequest& request, const char* name) {
    for (const auto& [n, v] : request.headers)
        if (ascii_lower(n) == name) return true;
    return false;
}

void configure_headers(Transfer& t) {
    const HttpRequest& r = t.attempt_request;
    curl_slist* list = nullptr;
    if (!has_header(r, "accept")) list = append_header(list, "Accept: application/json");
    if (!r.body.empty() && !has_header(r, "content-type")) list = append_header(list, "Content-Type: application/json");
    // Without this curl waits up to a second for "100 Continue" before a
    // large body, which PHP servers rarely send.
    list = append_header(list, "Expect:");
    for (const auto& [name, value] : r.headers) list = append_header(list, name + ": " + value);
    curl_slist_free_all(t.header_list);
    t.header_list = list;
    set_option(t.easy, CURLOPT_HTTPHEADER, list);
}

void configure_method(Transfer& t) {
    CURL* easy = t.easy;
    const HttpRequest& r = t.attempt_request;
    // PUT and POST always carry a body (maybe empty) so that Content-Length
    // is sent; some servers answer 411 otherwise.
    const bool send_body = !r.body.empty() || r.method == HttpMethod::Post || r.method == HttpMethod::Put;
    if (send_body) {
        set_option(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
        set_option(easy, CURLOPT_POSTFIELDS, r.body.data());
    }
    switch (r.method) {
    case HttpMethod::Get:
        if (!send_body) set_option(easy, CURLOPT_HTTPGET, 1L);
        else set_option(easy, CURLOPT_CUSTOMREQUEST, "GET");
        break;
    case HttpMethod::Post: break;  // POSTFIELDS made it a POST
    case HttpMethod::Put:
    case HttpMethod::Delete:
    case HttpMethod::Options:
        set_option(easy, CURLOPT_CUSTOMREQUEST, http_method_name(r.method));
        break;
    }
}

}  // namespace

void Transfer::reset_attempt() {
    response = HttpResponse{};
    header_bytes = 0;
    header_lines = 0;
    too_large = false;
    headers_too_large = false;
    callback_failed = false;
    prereq_calls = 0;
    resend_refused = false;
    host_refused = false;
    refused_address[0] = '\0';
    error_buffer[0] = '\0';
}

curl_slist* append_header(curl_slist* list, const std::string& line) {
    curl_slist* grown = curl_slist_append(list, line.c_str());
    if (!grown) {
        curl_slist_free_all(list);
        throw WooError(ErrorKind::Internal, "out of memory while building request headers");
    }
    return grown;
}

void configure_transfer(Transfer& t, const TransportOptions& options) {
    CURL* easy = t.easy;
    const HttpRequest& r = t.attempt_request;
    set_option(easy, CURLOPT_URL, url_with_query(r.url, r.query).c_str());
    set_option(easy, CURLOPT_PRIVATE, static_cast<void*>(&t));
    set_option(easy, CURLOPT_ERRORBUFFER, t.error_buffer);
    // Signals would interrupt the PostgreSQL backend's own handlers.
    set_option(easy, CURLOPT_NOSIGNAL, 1L);
    // A cancelled transfer must not wait for its DNS lookup to finish:
    // the threaded resolver's thread is left to end on its own instead of
    // being joined (getaddrinfo cannot be interrupted and may take 10 s).
    set_option(easy, CURLOPT_QUICK_EXIT, 1L);
    set_option(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    set_option(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    // A redirect drops the Authorization header and breaks the OAuth
    // signature; the 3xx goes back to the caller, who can name the right url.
    set_option(easy, CURLOPT_FOLLOWLOCATION, 0L);
    // Straight to the store: a proxy from the environment would hide the
    // address the host policy must judge.
    set_option(easy, CURLOPT_PROXY, "");
    // Keep-alive connections idle longer than web servers usually keep them
    // (Apache closes after 5 s) are not reused: a request sent on a
    // connection the server just closed gets no answer and could not be
    // sent again safely if it creates something.
    set_option(easy, CURLOPT_MAXAGE_CONN, 4L);
    set_option(easy, CURLOPT_ACCEPT_ENCODING, "");
    set_option(easy, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
    set_option(easy, CURLOPT_TIMEOUT_MS, options.timeout_ms);
    set_option(easy, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
    set_option(easy, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
    if (!options.ca_file.empty()) set_option(easy, CURLOPT_CAINFO, options.ca_file.c_str());
    set_option(easy, CURLOPT_USERAGENT, options.user_agent.c_str());
    // Curl's own early check against Content-Length; on_body enforces the cap
    // for bodies of unknown length and for decoded gzip.
    set_option(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_response_bytes));
    set_option(easy, CURLOPT_WRITEFUNCTION, &on_body);
    set_option(easy, CURLOPT_WRITEDATA, static_cast<void*>(&t));
    set_option(easy, CURLOPT_HEADERFUNCTION, &on_header);
    set_option(easy, CURLOPT_HEADERDATA, static_cast<void*>(&t));
    set_option(easy, CURLOPT_OPENSOCKETFUNCTION, &on_open_socket);
    set_option(easy, CURLOPT_OPENSOCKETDATA, static_cast<void*>(&t));
    set_option(easy, CURLOPT_PREREQFUNCTION, &on_prereq);
    set_option(easy, CURLOPT_PREREQDATA, static_cast<void*>(&t));
    configure_headers(t);
    configure_method(t);
}

}  // namespace wcfdw
