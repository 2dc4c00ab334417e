// Requests submitted one at a time and collected when the caller needs
// their answers, in any order, while the caller keeps the transfers moving
// between pieces of its own work: a scan converts page k while pages k+1
// ... k+concurrency are in flight, and submits the next page as soon as it
// takes one. Nothing runs in another thread: transfers progress only inside
// submit, drive and collect, so the backend decides when (between rows).
//
// Every request gets what perform_all gives it: the host policy, signing
// afresh per attempt, retries with backoff and Retry-After, the statement
// deadline, the size caps, the cancel hook (polled at least every 50 ms
// while collect waits), and counts in the client's stats. A transport
// failure is thrown by whichever call settles it (drive or collect), naming
// its request. The pipeline shares the client's connections (keep-alive)
// and must not outlive the client.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>

#include "core/transport/http_client.hpp"

namespace wcfdw {

class TransferSet;
struct Transfer;

class HttpPipeline {
public:
    using Ticket = std::uint64_t;

    explicit HttpPipeline(HttpClient& client);
    ~HttpPipeline();  // abandons what is still in flight (its connections close)
    HttpPipeline(const HttpPipeline&) = delete;
    HttpPipeline& operator=(const HttpPipeline&) = delete;

    // Queues the request and starts it at once while fewer than the
    // client's concurrency run (otherwise when one ends).
    Ticket submit(const HttpRequest& request);
    // Moves every transfer along without waiting: starts queued requests
    // and retries that are due, reads what arrived. Cheap when nothing
    // happened (one curl_multi_perform).
    void drive();
    // Drives until every running request has been sent (at most 5 ms), so
    // that the store works on them while the caller does not drive.
    void send_pending();
    // The request's answer is final (collect will not wait).
    bool finished(Ticket ticket) const;
    // Waits until the request's answer is final, and hands it over; the
    // ticket is then forgotten. Throws WooError(Cancelled) when the cancel
    // hook asks, and the transport error of any request that failed for good.
    HttpResponse collect(Ticket ticket);
    // Abandons a request nobody needs any more.
    void cancel(Ticket ticket) noexcept;
    // Requests submitted and not yet collected or cancelled.
    std::size_t outstanding() const noexcept { return tickets_.size(); }
    // Of those, the ones whose answer is not final yet (queued, running or
    // waiting to retry).
    std::size_t unfinished() const noexcept;

private:
    Transfer& transfer(Ticket ticket) const;

    HttpClient& client_;
    std::unique_ptr<TransferSet> set_;
    std::map<Ticket, Transfer*> tickets_;
    Ticket next_ = 1;
};

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
