// A small HTTP/1.1 server: one thread per connection (the benchmarks open a
// handful of keep-alive connections), blocking reads, one writev per answer.
// It knows framing only (Content-Length bodies, Expect: 100-continue,
// keep-alive, Connection: close); the store decides what to answer.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace benchstore {

struct HttpRequest {
    std::string method, target, path, query;   // path and query split from target, still encoded
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
    std::string body;
    const std::string* header(const std::string& lower_name) const;
};

struct HttpResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;  // without Content-Length
    std::shared_ptr<const std::string> body;
    bool head_only = false;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

class HttpServer {
public:
    HttpServer(const std::string& host, int port, HttpHandler handler);
    ~HttpServer();
    int port() const { return port_; }
    // Accepts connections until stop() is called (from a signal handler too).
    void serve();
    void stop();

private:
    void connection(int fd);
    int listen_fd_ = -1;
    int port_ = 0;
    HttpHandler handler_;
};

const char* reason_phrase(int status);

}  // namespace benchstore
