#include "http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace benchstore {
namespace {

std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

bool send_all(int fd, const char* data, std::size_t size) {
    while (size) {
        const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool write_response(int fd, const std::string& head, const std::string* body) {
    iovec parts[2] = {{const_cast<char*>(head.data()), head.size()},
                      {const_cast<char*>(body ? body->data() : nullptr), body ? body->size() : 0}};
    std::size_t total = head.size() + (body ? body->size() : 0);
    int count = body && !body->empty() ? 2 : 1;
    iovec* iov = parts;
    while (total) {
        const ssize_t n = ::writev(fd, iov, count);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        std::size_t done = static_cast<std::size_t>(n);
        total -= done;
        while (count && done >= iov->iov_len) {
            done -= iov->iov_len;
            ++iov;
            --count;
        }
        if (count) {
            iov->iov_base = static_cast<char*>(iov->iov_base) + done;
            iov->iov_len -= done;
        }
    }
    return true;
}

// Parses the head in buf[0, end); false when malformed.
bool parse_head(const std::string& buf, std::size_t end, HttpRequest& req) {
    std::size_t line_end = buf.find("\r\n");
    const std::string line = buf.substr(0, line_end);
    const std::size_t s1 = line.find(' '), s2 = line.rfind(' ');
    if (s1 == std::string::npos || s2 == s1) return false;
    req.method = line.substr(0, s1);
    req.target = line.substr(s1 + 1, s2 - s1 - 1);
    const std::size_t q = req.target.find('?');
    req.path = req.target.substr(0, q);
    req.query = q == std::string::npos ? "" : req.target.substr(q + 1);
    for (std::size_t pos = line_end + 2; pos < end;) {
        const std::size_t next = buf.find("\r\n", pos);
        const std::string h = buf.substr(pos, next - pos);
        pos = next + 2;
        const std::size_t colon = h.find(':');
        if (colon == std::string::npos) continue;
        std::size_t v = colon + 1;
        while (v < h.size() && (h[v] == ' ' || h[v] == '\t')) ++v;
        std::size_t ve = h.size();
        while (ve > v && (h[ve - 1] == ' ' || h[ve - 1] == '\t')) --ve;
        req.headers.push_back({lower(h.substr(0, colon)), h.substr(v, ve - v)});
    }
    return true;
}

}  // namespace

const std::string* HttpRequest::header(const std::string& name) const {
    const std::string* found = nullptr;
    for (const auto& [k, v] : headers)
        if (k == name) found = &v;
    return found;
}

const char* reason_phrase(int status) {
    switch (status) {
        case 100: return "Continue";
        case 200: return "OK";
        case 201: return "Created";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 410: return "Gone";
        case 413: return "Request Entity Too Large";
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        default: return "Unknown";
    }
}

HttpServer::HttpServer(const std::string& host, int port, HttpHandler handler) : handler_(std::move(handler)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) throw std::runtime_error("bad host " + host);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 256) != 0)
        throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + std::strerror(errno));
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::stop() {
    const int fd = listen_fd_;
    listen_fd_ = -1;
    if (fd >= 0) {
        ::shutdown(fd, SHUT_RDWR);
        ::close(fd);
    }
}

void HttpServer::serve() {
    while (listen_fd_ >= 0) {
        const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            return;
        }
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        std::thread([this, fd] { connection(fd); }).detach();
    }
}

void HttpServer::connection(int fd) {
    std::string buf;
    char chunk[65536];
    for (;;) {
        std::size_t head_end;
        while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
            if (buf.size() > (1u << 20)) return (void)::close(fd);
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return (void)::close(fd);
            buf.append(chunk, static_cast<std::size_t>(n));
        }
        HttpRequest req;
        if (!parse_head(buf, head_end + 2, req)) return (void)::close(fd);
        const std::string* length = req.header("content-length");
        const std::size_t body_size = length ? std::stoul(*length) : 0;
        const std::string* te = req.header("transfer-encoding");
        if (te && lower(*te).find("chunked") != std::string::npos) return (void)::close(fd);  // never sent by curl with a body
        const std::string* expect = req.header("expect");
        if (expect && lower(*expect) == "100-continue" && buf.size() < head_end + 4 + body_size) {
            const std::string go = "HTTP/1.1 100 Continue\r\n\r\n";
            if (!send_all(fd, go.data(), go.size())) return (void)::close(fd);
        }
        while (buf.size() < head_end + 4 + body_size) {
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return (void)::close(fd);
            buf.append(chunk, static_cast<std::size_t>(n));
        }
        req.body = buf.substr(head_end + 4, body_size);
        buf.erase(0, head_end + 4 + body_size);
        const std::string* connection = req.header("connection");
        const bool close = connection && lower(*connection) == "close";
        const HttpResponse resp = handler_(req);
        std::string head = "HTTP/1.1 " + std::to_string(resp.status) + " " + reason_phrase(resp.status) +
                           "\r\nServer: nginx/1.22.1 (woostore)\r\n";
        for (const auto& [k, v] : resp.headers) head += k + ": " + v + "\r\n";
        head += "Content-Length: " + std::to_string(resp.body ? resp.body->size() : 0) + "\r\n";
        if (close) head += "Connection: close\r\n";
        head += "\r\n";
        if (!write_response(fd, head, resp.head_only ? nullptr : resp.body.get()) || close) return (void)::close(fd);
    }
}

}  // namespace benchstore
