// A tiny HTTP/1.1 server on 127.0.0.1 for the transport's unit tests. Each
// request gets the next scripted response from a queue (or from a handler
// when the queue is empty), and every request is recorded, so tests can
// stage what real stores do: keep-alive, slow answers, 429 with Retry-After,
// dropped connections, truncated and trickled bodies, answers that never come.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace wcfdw::testing {

struct ReceivedRequest {
    std::string method;
    std::string target;  // path and query as sent
    std::string path;
    std::string query;   // raw, without '?'
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
    int connection = 0;  // 1-based number of the TCP connection it came on
    std::chrono::steady_clock::time_point received_at;

    // Percent-decoded value of a query parameter; empty when absent.
    std::string query_value(const std::string& name) const;
    std::string header(const std::string& lower_name) const;
};

struct ScriptedResponse {
    enum class Kind {
        Respond,               // send status, headers and body
        CloseWithoutResponse,  // close the connection once the request is read
        Hang,                  // never answer; hold the connection until the client leaves
    };
    Kind kind = Kind::Respond;
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds delay{0};          // before anything is sent
    std::optional<std::size_t> content_length;   // declared; larger than body = truncated, then close
    bool send_content_length = true;             // false: the body ends when the connection closes
    std::size_t trickle_bytes = 0;               // > 0: send the body in pieces of this size...
    std::chrono::milliseconds trickle_interval{0};  // ...with this pause between them
    bool close_after = false;

    static ScriptedResponse json(int status, std::string body = "{}");
    static ScriptedResponse close_without_response();
    static ScriptedResponse hang();
};

class ScriptedServer {
public:
    using Handler = std::function<ScriptedResponse(const ReceivedRequest&)>;

    ScriptedServer();
    ~ScriptedServer();
    ScriptedServer(const ScriptedServer&) = delete;
    ScriptedServer& operator=(const ScriptedServer&) = delete;

    int port() const noexcept { return port_; }
    // "http://127.0.0.1:<port>" followed by `path`.
    std::string url(const std::string& path = "") const;

    void enqueue(ScriptedResponse response);
    // Answers requests once the queue is empty (called from server threads).
    // Without one, such requests get 404 {"code":"no_script"}.
    void set_handler(Handler handler);

    // Bytes sent the moment a connection is accepted, which is then closed
    // without reading a request: e.g. plain text to a client expecting TLS.
    void set_greeting(std::string bytes);

    std::vector<ReceivedRequest> requests() const;
    std::size_t request_count() const;
    int connections_accepted() const noexcept { return connections_.load(); }
    // The most requests that were being answered at the same moment.
    int max_in_flight() const noexcept { return max_in_flight_.load(); }

private:
    void accept_loop();
    void serve(int fd, int connection);
    ScriptedResponse next_response(const ReceivedRequest& request);

    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> connections_{0};
    std::atomic<int> in_flight_{0};
    std::atomic<int> max_in_flight_{0};
    mutable std::mutex mutex_;
    std::deque<ScriptedResponse> queue_;
    Handler handler_;
    std::string greeting_;
    std::vector<ReceivedRequest> requests_;
    std::vector<std::thread> connection_threads_;
    std::thread accept_thread_;
};

// gzip (RFC 1952) of `text`, for Content-Encoding tests.
std::string gzip(const std::string& text);

// A local TCP port with nothing listening on it (connections are refused).
int unused_port();

}  // namespace wcfdw::testing
