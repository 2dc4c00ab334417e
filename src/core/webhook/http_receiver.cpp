#include "core/webhook/http_receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <microhttpd.h>

#include "core/base/text.hpp"
#include "core/base/woo_error.hpp"

namespace wcfdw::webhook {

// One request from its first callback to its completion. Owned by
// libmicrohttpd's per-request pointer (*con_cls); freed in request_completed.
struct HttpReceiver::Request {
    std::uint64_t id = 0;
    MHD_Connection* connection = nullptr;
    std::chrono::steady_clock::time_point started;
    ReceivedRequest data;
    bool too_large = false;
    bool suspended = false;
    bool has_answer = false;
    int status = 0;
    std::string answer;
};

namespace {

using Clock = std::chrono::steady_clock;

std::string json_error(int status, const char* reason, const std::string& message) {
    return nlohmann::json{{"status", status}, {"outcome", "refused"}, {"reason", reason}, {"message", message}}.dump();
}

// Queues a JSON answer that closes the connection.
MHD_Result queue(MHD_Connection* connection, int status, const std::string& body) {
    void* copy = std::malloc(body.size() + 1);
    if (!copy) return MHD_NO;
    std::memcpy(copy, body.data(), body.size());
    MHD_Response* response = MHD_create_response_from_buffer_with_free_callback(body.size(), copy, &std::free);
    if (!response) {
        std::free(copy);
        return MHD_NO;
    }
    MHD_add_response_header(response, "Content-Type", "application/json");
    MHD_add_response_header(response, "Connection", "close");
    const MHD_Result result = MHD_queue_response(connection, static_cast<unsigned>(status), response);
    MHD_destroy_response(response);
    return result;
}

MHD_Result collect_header(void* cls, MHD_ValueKind, const char* key, const char* value) {
    auto* headers = static_cast<nlohmann::json*>(cls);
    if (!key) return MHD_YES;
    const std::string name = sanitize_utf8(key);
    const std::string text = sanitize_utf8(value ? value : "");
    auto it = headers->find(name);
    if (it == headers->end()) (*headers)[name] = text;
    else *it = it->get<std::string>() + ", " + text;
    return MHD_YES;
}

std::string client_address(MHD_Connection* connection) {
    const MHD_ConnectionInfo* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!info || !info->client_addr) return {};
    char text[INET6_ADDRSTRLEN] = {0};
    const sockaddr* addr = info->client_addr;
    if (addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(addr)->sin_addr, text, sizeof text);
    else if (addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr, text, sizeof text);
    return text;
}

// "host:port", "[v6]:port", ":port" into a socket address.
bool parse_listen(const std::string& listen, sockaddr_storage& out, bool& ipv6) {
    std::memset(&out, 0, sizeof out);
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) return false;
    std::string host = listen.substr(0, colon);
    const std::string port_text = listen.substr(colon + 1);
    if (port_text.empty() || port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos)
        return false;
    const long port = std::strtol(port_text.c_str(), nullptr, 10);
    if (port > 65535) return false;
    ipv6 = host.size() >= 2 && host.front() == '[' && host.back() == ']';
    if (ipv6) {
        auto* a = reinterpret_cast<sockaddr_in6*>(&out);
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(static_cast<uint16_t>(port));
        return inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &a->sin6_addr) == 1;
    }
    auto* a = reinterpret_cast<sockaddr_in*>(&out);
    a->sin_family = AF_INET;
    a->sin_port = htons(static_cast<uint16_t>(port));
    if (host.empty() || host == "*") {
        a->sin_addr.s_addr = htonl(INADDR_ANY);
        return true;
    }
    if (host == "localhost") host = "127.0.0.1";
    return inet_pton(AF_INET, host.c_str(), &a->sin_addr) == 1;
}

}  // namespace

// The C callbacks libmicrohttpd calls from inside MHD_run.
struct HttpReceiver::Callbacks {
    static MHD_Result access(void* cls, MHD_Connection* connection, const char* url, const char* method,
                             const char*, const char* upload_data, size_t* upload_data_size, void** con_cls) noexcept {
        auto* self = static_cast<HttpReceiver*>(cls);
        try {
            auto* request = static_cast<Request*>(*con_cls);
            if (!request) return begin(self, connection, url, method, con_cls);
            if (request->has_answer) return queue(connection, request->status, request->answer);
            if (*upload_data_size > 0) {
                const std::size_t n = *upload_data_size;
                *upload_data_size = 0;
                if (Clock::now() - request->started > std::chrono::seconds(self->config_.read_timeout_s)) {
                    ++self->stats_.cut_off;
                    return MHD_NO;
                }
                // A chunked body over the limit: the rest is read and
                // dropped (within the read timeout), then refused, so that
                // the client hears the 413 instead of a reset.
                if (request->too_large) return MHD_YES;
                if (request->data.body.size() + n > self->config_.max_body_bytes) {
                    request->too_large = true;
                    self->buffered_ -= std::min(self->buffered_, request->data.body.size());
                    request->data.body.clear();
                    request->data.body.shrink_to_fit();
                    return MHD_YES;
                }
                if (self->buffered_ + n > self->config_.max_buffered_bytes) {
                    ++self->stats_.refused;
                    return queue(connection, 503,
                                 json_error(503, "busy", "the receiver holds too many request bodies; try again"));
                }
                request->data.body.append(upload_data, n);
                self->buffered_ += n;
                return MHD_YES;
            }
            // The body is complete.
            if (request->too_large) {
                ++self->stats_.refused;
                return queue(connection, 413, json_error(413, "body_too_large", "the body is larger than the receiver accepts"));
            }
            if (self->refuse_all_) {
                ++self->stats_.refused;
                return queue(connection, self->refuse_status_, self->refuse_body_);
            }
            if (!request->suspended) {
                request->suspended = true;
                request->data.client = client_address(connection);
                self->ready_.push_back(request);
                self->opened_.erase(connection);  // being handled: no read deadline
                ++self->stats_.requests;
                MHD_suspend_connection(connection);
            }
            return MHD_YES;
        } catch (...) {
            return MHD_NO;  // out of memory: drop this connection, keep serving
        }
    }

    static MHD_Result begin(HttpReceiver* self, MHD_Connection* connection, const char* url, const char* method,
                            void** con_cls) {
        if (std::strcmp(method, "POST") != 0) {
            ++self->stats_.refused;
            return queue(connection, 405, json_error(405, "method_not_allowed", "the receiver accepts POST only"));
        }
        const char* length = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Content-Length");
        if (length && std::strtoull(length, nullptr, 10) > self->config_.max_body_bytes) {
            ++self->stats_.refused;
            return queue(connection, 413, json_error(413, "body_too_large", "the body is larger than the receiver accepts"));
        }
        auto owned = std::make_unique<Request>();
        owned->id = self->next_id_++;
        owned->connection = connection;
        const auto opened = self->opened_.find(connection);
        owned->started = opened != self->opened_.end() ? opened->second : Clock::now();
        owned->data.id = owned->id;
        owned->data.method = method;
        owned->data.path = url ? sanitize_utf8(url) : "/";
        MHD_get_connection_values(connection, MHD_HEADER_KIND, &collect_header, &owned->data.headers);
        *con_cls = owned.release();
        return MHD_YES;
    }

    static void completed(void* cls, MHD_Connection* connection, void** con_cls, MHD_RequestTerminationCode) noexcept {
        auto* self = static_cast<HttpReceiver*>(cls);
        auto* request = static_cast<Request*>(*con_cls);
        *con_cls = nullptr;
        if (!request) return;
        self->buffered_ -= std::min(self->buffered_, request->data.body.size());
        self->handed_out_.erase(request->id);
        for (auto it = self->ready_.begin(); it != self->ready_.end(); ++it)
            if (*it == request) {
                self->ready_.erase(it);
                break;
            }
        (void)connection;
        delete request;
    }

    static void connection_event(void* cls, MHD_Connection* connection, void**, MHD_ConnectionNotificationCode code) noexcept {
        auto* self = static_cast<HttpReceiver*>(cls);
        try {
            if (code == MHD_CONNECTION_NOTIFY_STARTED) {
                self->opened_[connection] = Clock::now();
                ++self->stats_.accepted;
            } else {
                self->opened_.erase(connection);
            }
        } catch (...) {
        }
    }

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsuggest-attribute=format"  // libmicrohttpd's format strings
#endif
    static void log(void* cls, const char* format, va_list args) noexcept {
        auto* self = static_cast<HttpReceiver*>(cls);
        try {
            if (self->log_.size() >= 100) {
                ++self->log_dropped_;
                return;
            }
            char text[512];
            std::vsnprintf(text, sizeof text, format, args);
            std::string line = sanitize_utf8(trim_ascii_space(text));
            if (!line.empty()) self->log_.push_back(std::move(line));
        } catch (...) {
        }
    }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
};

HttpReceiver::HttpReceiver(ReceiverConfig config) : config_(std::move(config)) {
    sockaddr_storage address;
    bool ipv6 = false;
    if (!parse_listen(config_.listen, address, ipv6))
        throw WooError(ErrorKind::InvalidArgument, "invalid woocommerce.webhook_listen \"" + config_.listen + "\"", "",
                       "Use host:port with a numeric address, e.g. 127.0.0.1:8787, [::1]:8787 or :8787 (every interface).");
    const bool tls = !config_.tls_cert_pem.empty() || !config_.tls_key_pem.empty();
    if (tls && (config_.tls_cert_pem.empty() || config_.tls_key_pem.empty()))
        throw WooError(ErrorKind::InvalidArgument, "the receiver's TLS needs both a certificate and a key");
    if (tls && MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
        throw WooError(ErrorKind::Unsupported, "this libmicrohttpd was built without TLS", "",
                       "Terminate TLS in a reverse proxy in front of the receiver instead.");
    // HTTPS options are only given with MHD_USE_TLS (libmicrohttpd refuses them otherwise).
    MHD_OptionItem tls_options[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, const_cast<char*>(config_.tls_cert_pem.c_str())},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, const_cast<char*>(config_.tls_key_pem.c_str())},
        {MHD_OPTION_END, 0, nullptr}};
    MHD_OptionItem no_options[] = {{MHD_OPTION_END, 0, nullptr}};
    unsigned flags = MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
    if (ipv6) flags |= MHD_USE_IPv6;
    if (tls) flags |= MHD_USE_TLS;
    daemon_ = MHD_start_daemon(
        flags, 0, nullptr, nullptr, &Callbacks::access, this,
        MHD_OPTION_SOCK_ADDR, reinterpret_cast<const sockaddr*>(&address),
        MHD_OPTION_CONNECTION_LIMIT, config_.max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, config_.read_timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<size_t>(64 * 1024),
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
        MHD_OPTION_NOTIFY_COMPLETED, &Callbacks::completed, this,
        MHD_OPTION_NOTIFY_CONNECTION, &Callbacks::connection_event, this,
        MHD_OPTION_EXTERNAL_LOGGER, &Callbacks::log, this,
        MHD_OPTION_ARRAY, tls ? tls_options : no_options,
        MHD_OPTION_END);
    if (!daemon_) {
        std::string detail;
        for (const auto& line : log_) detail += (detail.empty() ? "" : "; ") + line;
        throw WooError(ErrorKind::Connect, "could not listen on " + config_.listen, detail,
                       tls ? "Check that the address is free and the certificate and key are valid PEM."
                           : "Check that the address is free and belongs to this machine.");
    }
    const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
    port_ = info ? info->port : 0;
}

HttpReceiver::~HttpReceiver() {
    if (daemon_) MHD_stop_daemon(daemon_);  // completes (frees) every request
}

int HttpReceiver::wait_fd() const noexcept {
    const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_EPOLL_FD);
    return info ? info->epoll_fd : -1;
}

int HttpReceiver::port() const noexcept { return port_; }

long HttpReceiver::timeout_ms(long cap) const noexcept {
    MHD_UNSIGNED_LONG_LONG ms = 0;
    long out = cap;
    if (MHD_get_timeout(daemon_, &ms) == MHD_YES && static_cast<long long>(ms) < out) out = static_cast<long>(ms);
    // Clients still sending must be cut off on time.
    if (!opened_.empty() && out > 250) out = 250;
    return out;
}

void HttpReceiver::run() noexcept {
    // A client still sending its request after read_timeout seconds (even
    // one trickling a byte at a time, which resets libmicrohttpd's idle
    // timeout) loses its connection: shutting the socket down makes
    // libmicrohttpd see the end of the stream and clean up.
    const auto deadline = std::chrono::seconds(config_.read_timeout_s);
    const auto now = Clock::now();
    for (auto it = opened_.begin(); it != opened_.end();) {
        if (now - it->second > deadline) {
            const MHD_ConnectionInfo* info = MHD_get_connection_info(it->first, MHD_CONNECTION_INFO_CONNECTION_FD);
            if (info) shutdown(info->connect_fd, SHUT_RDWR);
            ++stats_.cut_off;
            it = opened_.erase(it);
        } else {
            ++it;
        }
    }
    MHD_run(daemon_);
}

std::vector<ReceivedRequest> HttpReceiver::take_ready() {
    std::vector<ReceivedRequest> out;
    while (!ready_.empty()) {
        Request* request = ready_.front();
        ready_.pop_front();
        handed_out_[request->id] = request;
        ReceivedRequest copy = request->data;
        buffered_ -= std::min(buffered_, request->data.body.size());
        request->data.body.clear();
        request->data.body.shrink_to_fit();
        out.push_back(std::move(copy));
    }
    return out;
}

void HttpReceiver::answer(std::uint64_t id, int status, const std::string& json_body) noexcept {
    const auto it = handed_out_.find(id);
    if (it == handed_out_.end()) return;
    Request* request = it->second;
    handed_out_.erase(it);
    try {
        request->answer = json_body;
    } catch (...) {
        request->answer.clear();
    }
    request->status = status;
    request->has_answer = true;
    MHD_resume_connection(request->connection);
}

void HttpReceiver::answer_all(int status, const std::string& json_body) noexcept {
    refuse_all_ = true;
    refuse_status_ = status;
    try {
        refuse_body_ = json_body;
    } catch (...) {
    }
    std::vector<std::uint64_t> ids;
    for (const auto& entry : handed_out_) ids.push_back(entry.first);
    for (Request* request : ready_) {
        handed_out_[request->id] = request;
        ids.push_back(request->id);
    }
    ready_.clear();
    for (const auto id : ids) answer(id, status, json_body);
}

std::size_t HttpReceiver::unanswered() const noexcept { return handed_out_.size() + ready_.size(); }

bool HttpReceiver::busy() const noexcept {
    const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info && info->num_connections > 0;
}

std::vector<std::string> HttpReceiver::take_log() {
    std::vector<std::string> out;
    out.swap(log_);
    if (log_dropped_) {
        out.push_back(std::to_string(log_dropped_) + " more libmicrohttpd messages were dropped");
        log_dropped_ = 0;
    }
    return out;
}

}  // namespace wcfdw::webhook
