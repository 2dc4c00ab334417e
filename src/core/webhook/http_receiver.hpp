// The webhook receiver's HTTP side: GNU libmicrohttpd in external-select
// mode (epoll), so that every callback runs inside run() on the caller's
// thread and the caller decides when to block. The background worker waits
// on wait_fd() together with its latch, calls run(), takes the requests
// whose body is complete (each one suspended in libmicrohttpd meanwhile),
// handles each in a transaction, and answers it.
//
// It never lets a client hold it: bodies are bounded (413 before a byte of
// an oversized Content-Length is read), the memory of all bodies in flight
// is bounded (503 when it is full), every request must arrive completely
// within read_timeout seconds of its connection (a client trickling bytes is
// cut off, not only an idle one), and at most max_connections connections
// are open (the others wait in the listen queue). Only POST is accepted.
// Keep-alive is off: every answer closes its connection.
//
// Plain C++: the callbacks never call PostgreSQL and never throw.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

struct MHD_Daemon;
struct MHD_Connection;

namespace wcfdw::webhook {

struct ReceiverConfig {
    std::string listen = "127.0.0.1:8787";   // host:port, [v6]:port or :port (every interface)
    std::size_t max_body_bytes = 4 * 1024 * 1024;
    std::size_t max_buffered_bytes = 64 * 1024 * 1024;   // all bodies being read, together
    unsigned max_connections = 256;
    unsigned read_timeout_s = 10;
    std::string tls_cert_pem;   // both set: HTTPS
    std::string tls_key_pem;
};

struct ReceivedRequest {
    std::uint64_t id = 0;
    std::string method;
    std::string path;
    nlohmann::json headers = nlohmann::json::object();   // as sent; a repeated name joined with ", "
    std::string body;
    std::string client;   // remote address
};

struct ReceiverStats {
    std::uint64_t accepted = 0;        // connections
    std::uint64_t requests = 0;        // complete requests handed out
    std::uint64_t refused = 0;         // answered by the receiver itself (405, 413, 503)
    std::uint64_t cut_off = 0;         // closed for taking longer than read_timeout
};

class HttpReceiver {
public:
    // Binds and listens. Throws WooError (InvalidArgument for a bad address
    // or TLS material, Connect when the address cannot be bound).
    explicit HttpReceiver(ReceiverConfig config);
    ~HttpReceiver();
    HttpReceiver(const HttpReceiver&) = delete;
    HttpReceiver& operator=(const HttpReceiver&) = delete;

    int wait_fd() const noexcept;          // readable when run() has work
    int port() const noexcept;             // the bound port (useful with :0)
    // Milliseconds until run() must be called even without I/O (timeouts),
    // at most `cap`.
    long timeout_ms(long cap) const noexcept;
    // Does whatever I/O is ready without blocking; cuts off late clients.
    void run() noexcept;

    // Complete requests waiting for an answer, in arrival order.
    std::vector<ReceivedRequest> take_ready();
    // Answers a request handed out by take_ready (JSON body). Unknown ids
    // (the client went away) are ignored.
    void answer(std::uint64_t id, int status, const std::string& json_body) noexcept;
    // Answers every request handed out and not answered yet, and refuses
    // requests completing from now on with the same answer (503 on shutdown).
    void answer_all(int status, const std::string& json_body) noexcept;
    std::size_t unanswered() const noexcept;
    // True while responses are still being sent.
    bool busy() const noexcept;

    // libmicrohttpd's own messages, collected (bounded) for the caller's log.
    std::vector<std::string> take_log();
    const ReceiverStats& stats() const noexcept { return stats_; }

    // For the C callbacks.
    struct Request;
    struct Callbacks;

private:
    ReceiverConfig config_;
    MHD_Daemon* daemon_ = nullptr;
    int port_ = 0;
    std::uint64_t next_id_ = 1;
    std::size_t buffered_ = 0;
    std::map<std::uint64_t, Request*> handed_out_;
    std::deque<Request*> ready_;
    std::map<MHD_Connection*, std::chrono::steady_clock::time_point> opened_;
    std::vector<std::string> log_;
    std::size_t log_dropped_ = 0;
    bool refuse_all_ = false;
    int refuse_status_ = 503;
    std::string refuse_body_;
    ReceiverStats stats_;
};

}  // namespace wcfdw::webhook

#include "core/base/pure_cpp.hpp"
