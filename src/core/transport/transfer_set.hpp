// The engine under HttpClient's batches (perform_all) and pipelines: the
// multi handle one client's transfers share, and a set of transfers driven
// through it with retries, backoff and the host policy. Internal to the
// transport (http_client.cpp, http_pipeline.cpp).
//
// Several sets may share one multi handle at once (two scans of one store
// in a join, each with its own pipeline): whoever drives the handle only
// marks the transfers that finished, and each set settles its own, so that
// no set ever handles, or throws for, another's transfer.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <random>
#include <vector>

#include <curl/curl.h>

#include "core/transport/curl_transfer.hpp"
#include "core/transport/host_policy.hpp"
#include "core/transport/http_client.hpp"

namespace wcfdw {

// The multi handle holds the connection cache, so keep-alive spans every
// request of a client; idle easy handles are kept to skip re-creating them.
class CurlMulti {
public:
    CurlMulti();
    ~CurlMulti();
    CurlMulti(const CurlMulti&) = delete;
    CurlMulti& operator=(const CurlMulti&) = delete;

    CURLM* handle() const noexcept { return multi_; }
    double jitter_unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(jitter_); }

    CURL* acquire();
    // Detaches a transfer from curl; safe on every path out of a set,
    // including an exception thrown while the transfer runs.
    void release(Transfer& t) noexcept;

    // Lets curl work without waiting, then marks every transfer it
    // finished (Transfer::finished, Transfer::result) for its set.
    void perform();
    // Waits for socket activity, at most wait_ms.
    void poll(long wait_ms);

private:
    CURLM* multi_ = nullptr;
    std::vector<CURL*> idle_;
    bool abandoned_ = false;
    std::minstd_rand jitter_{
        static_cast<std::minstd_rand::result_type>(std::chrono::steady_clock::now().time_since_epoch().count())};
};

class TransferSet {
public:
    TransferSet(std::shared_ptr<CurlMulti> curl, const TransportOptions& options,
                std::shared_ptr<const RequestSigner> signer, std::shared_ptr<const HostPolicy> policy,
                TransportStats& stats);
    ~TransferSet();  // detaches every transfer still in curl
    TransferSet(const TransferSet&) = delete;
    TransferSet& operator=(const TransferSet&) = delete;

    // Queues a request (started by the next step while fewer than
    // concurrency run). `keep_copy`: the set keeps its own copy; otherwise
    // `request` must outlive the transfer. A host the policy refuses by
    // name throws here: no lookup, nothing sent.
    Transfer& add(const HttpRequest& request, bool keep_copy);
    // Starts queued transfers and retries that are due, lets curl work
    // without waiting, and settles this set's finished attempts (a retry
    // scheduled, or the answer final). Throws the transport error of an
    // attempt that failed for good.
    void step();
    // Waits for curl's sockets, a freed slot or the next retry: at most the
    // poll interval, so the cancel hook is asked at least every 50 ms.
    void wait();
    // Drives until every running attempt has sent its request, at most
    // 5 ms (the caller is about to work without driving).
    void send_pending();
    // Forgets a transfer; one still running is abandoned (its connection
    // closes).
    void remove(const Transfer& t) noexcept;

    std::size_t size() const noexcept { return transfers_.size(); }
    Transfer& at(std::size_t i) noexcept { return *transfers_[i]; }

private:
    std::size_t active() const noexcept;
    void start_attempt(Transfer& t);
    // Returns true when the transfer is finished (its response is final).
    bool on_attempt_done(Transfer& t, CURLcode code);
    // The retry of an answered 429/5xx, or why there is none.
    bool retry_answer(Transfer& t);
    void schedule_retry(Transfer& t, long delay_ms);

    std::shared_ptr<CurlMulti> curl_;
    const TransportOptions& options_;
    std::shared_ptr<const RequestSigner> signer_;
    std::shared_ptr<const HostPolicy> policy_;
    TransportStats& stats_;
    std::vector<std::unique_ptr<Transfer>> transfers_;
};

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
