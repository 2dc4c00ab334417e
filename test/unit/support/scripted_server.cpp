#include "support/scripted_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace wcfdw::testing {
namespace {

constexpr int kPollMs = 10;

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(const std::string& s) {
    std::size_t first = s.find_first_not_of(" \t");
    std::size_t last = s.find_last_not_of(" \t\r");
    return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

std::string percent_decode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::strtol(s.substr(i + 1, 2).c_str(), nullptr, 16));
            i += 2;
        } else if (s[i] == '+') {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    return out;
}

const char* reason(int status) {
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
    }
}

// Sleeps in small steps so that a server shutting down is not held up.
void sleep_unless(const std::atomic<bool>& stop, std::chrono::milliseconds total) {
    const auto until = std::chrono::steady_clock::now() + total;
    while (!stop.load() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

bool send_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

// Reads more bytes into `buffer`; false when the peer closed or we stop.
bool read_more(int fd, std::string& buffer, const std::atomic<bool>& stop) {
    while (!stop.load()) {
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, kPollMs);
        if (ready < 0) return false;
        if (ready == 0) continue;
        char chunk[8192];
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return false;
        buffer.append(chunk, static_cast<std::size_t>(n));
        return true;
    }
    return false;
}

}  // namespace

std::string ReceivedRequest::query_value(const std::string& name) const {
    std::size_t pos = 0;
    while (pos <= query.size()) {
        std::size_t amp = query.find('&', pos);
        if (amp == std::string::npos) amp = query.size();
        const std::string pair = query.substr(pos, amp - pos);
        const std::size_t eq = pair.find('=');
        if (percent_decode(pair.substr(0, eq)) == name)
            return eq == std::string::npos ? std::string() : percent_decode(pair.substr(eq + 1));
        pos = amp + 1;
    }
    return {};
}

std::string ReceivedRequest::header(const std::string& lower_name) const {
    const auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
}

ScriptedResponse ScriptedResponse::json(int status, std::string body) {
    ScriptedResponse r;
    r.status = status;
    r.headers.emplace_back("Content-Type", "application/json; charset=UTF-8");
    r.body = std::move(body);
    return r;
}

ScriptedResponse ScriptedResponse::close_without_response() {
    ScriptedResponse r;
    r.kind = Kind::CloseWithoutResponse;
    return r;
}

ScriptedResponse ScriptedResponse::hang() {
    ScriptedResponse r;
    r.kind = Kind::Hang;
    return r;
}

ScriptedServer::ScriptedServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error("scripted server: socket() failed");
    const int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 64) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(listen_fd_);
        throw std::runtime_error("scripted server: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(addr.sin_port);
    accept_thread_ = std::thread([this] { accept_loop(); });
}

ScriptedServer::~ScriptedServer() {
    stop_.store(true);
    accept_thread_.join();
    std::vector<std::thread> threads;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        threads.swap(connection_threads_);
    }
    for (auto& t : threads) t.join();
    ::close(listen_fd_);
}

std::string ScriptedServer::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void ScriptedServer::enqueue(ScriptedResponse response) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(response));
}

void ScriptedServer::set_handler(Handler handler) {
    std::lock_guard<std::mutex> lock(mutex_);
    handler_ = std::move(handler);
}

void ScriptedServer::set_greeting(std::string bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    greeting_ = std::move(bytes);
}

std::vector<ReceivedRequest> ScriptedServer::requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
}

std::size_t ScriptedServer::request_count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_.size();
}

void ScriptedServer::accept_loop() {
    while (!stop_.load()) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, kPollMs) <= 0) continue;
        const int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        // Head and body go out in separate writes; without this, Nagle plus
        // delayed ACKs would add 40 ms to every answer.
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        const int connection = ++connections_;
        std::lock_guard<std::mutex> lock(mutex_);
        connection_threads_.emplace_back([this, fd, connection] { serve(fd, connection); });
    }
}

ScriptedResponse ScriptedServer::next_response(const ReceivedRequest& request) {
    Handler handler;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.push_back(request);
        if (!queue_.empty()) {
            ScriptedResponse r = std::move(queue_.front());
            queue_.pop_front();
            return r;
        }
        handler = handler_;
    }
    if (handler) return handler(request);
    return ScriptedResponse::json(404, R"({"code":"no_script","message":"no scripted response left"})");
}

void ScriptedServer::serve(int fd, int connection) {
    std::string greeting;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        greeting = greeting_;
    }
    if (!greeting.empty()) {
        send_all(fd, greeting.data(), greeting.size());
        ::close(fd);
        return;
    }
    std::string buffer;
    while (!stop_.load()) {
        std::size_t head_end;
        while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos)
            if (!read_more(fd, buffer, stop_)) {
                ::close(fd);
                return;
            }

        ReceivedRequest request;
        request.connection = connection;
        request.received_at = std::chrono::steady_clock::now();
        const std::string head = buffer.substr(0, head_end);
        std::size_t line_end = head.find("\r\n");
        const std::string request_line = head.substr(0, line_end);
        const std::size_t sp1 = request_line.find(' ');
        const std::size_t sp2 = request_line.rfind(' ');
        request.method = request_line.substr(0, sp1);
        request.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
        const std::size_t question = request.target.find('?');
        request.path = request.target.substr(0, question);
        if (question != std::string::npos) request.query = request.target.substr(question + 1);
        while (line_end != std::string::npos && line_end < head.size()) {
            const std::size_t start = line_end + 2;
            line_end = head.find("\r\n", start);
            const std::string line = head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
            const std::size_t colon = line.find(':');
            if (colon != std::string::npos) request.headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
        }
        const std::size_t body_length = static_cast<std::size_t>(std::strtoul(request.header("content-length").c_str(), nullptr, 10));
        buffer.erase(0, head_end + 4);
        while (buffer.size() < body_length)
            if (!read_more(fd, buffer, stop_)) {
                ::close(fd);
                return;
            }
        request.body = buffer.substr(0, body_length);
        buffer.erase(0, body_length);

        const ScriptedResponse response = next_response(request);
        const int now_in_flight = ++in_flight_;
        int seen = max_in_flight_.load();
        while (now_in_flight > seen && !max_in_flight_.compare_exchange_weak(seen, now_in_flight)) {
        }
        sleep_unless(stop_, response.delay);

        bool keep_open = true;
        if (response.kind == ScriptedResponse::Kind::CloseWithoutResponse) {
            keep_open = false;
        } else if (response.kind == ScriptedResponse::Kind::Hang) {
            // Hold the connection until the client gives up (or we stop).
            std::string ignored;
            while (read_more(fd, ignored, stop_)) ignored.clear();
            keep_open = false;
        } else {
            const std::size_t declared = response.content_length.value_or(response.body.size());
            const bool truncated = declared > response.body.size();
            const bool close_after = response.close_after || truncated || !response.send_content_length;
            std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + reason(response.status) + "\r\n";
            for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
            if (response.send_content_length) out += "Content-Length: " + std::to_string(declared) + "\r\n";
            if (close_after) out += "Connection: close\r\n";
            out += "\r\n";
            bool ok = send_all(fd, out.data(), out.size());
            if (response.trickle_bytes == 0) {
                ok = ok && send_all(fd, response.body.data(), response.body.size());
            } else {
                for (std::size_t pos = 0; ok && pos < response.body.size() && !stop_.load(); pos += response.trickle_bytes) {
                    const std::size_t n = std::min(response.trickle_bytes, response.body.size() - pos);
                    ok = send_all(fd, response.body.data() + pos, n);
                    sleep_unless(stop_, response.trickle_interval);
                }
            }
            keep_open = ok && !close_after;
        }
        --in_flight_;
        if (!keep_open) break;
    }
    ::close(fd);
}

std::string gzip(const std::string& text) {
    z_stream zs{};
    if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    std::string out(deflateBound(&zs, static_cast<uLong>(text.size())), '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    zs.avail_in = static_cast<uInt>(text.size());
    zs.next_out = reinterpret_cast<Bytef*>(&out[0]);
    zs.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
    return out;
}

int unused_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);  // bound but never listening: connecting is refused
    return ntohs(addr.sin_port);
}

}  // namespace wcfdw::testing
