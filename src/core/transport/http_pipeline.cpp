#include "core/transport/http_pipeline.hpp"

#include <utility>

#include "core/base/woo_error.hpp"
#include "core/transport/transfer_set.hpp"

namespace wcfdw {

HttpPipeline::HttpPipeline(HttpClient& client)
    : client_(client),
      set_(std::make_unique<TransferSet>(client.current_multi(), client.options_, client.signer_,
                                         current_host_policy(), client.stats_)) {}

HttpPipeline::~HttpPipeline() = default;

HttpPipeline::Ticket HttpPipeline::submit(const HttpRequest& request) {
    Transfer& t = set_->add(request, true);
    const Ticket ticket = next_++;
    try {
        tickets_.emplace(ticket, &t);
    } catch (...) {
        set_->remove(t);
        throw;
    }
    set_->step();
    return ticket;
}

void HttpPipeline::drive() {
    if (!tickets_.empty()) set_->step();
}

void HttpPipeline::send_pending() {
    if (!tickets_.empty()) set_->send_pending();
}

Transfer& HttpPipeline::transfer(Ticket ticket) const {
    const auto it = tickets_.find(ticket);
    if (it == tickets_.end()) throw WooError(ErrorKind::Internal, "a pipeline request was collected twice");
    return *it->second;
}

bool HttpPipeline::finished(Ticket ticket) const {
    return transfer(ticket).state == Transfer::State::Done;
}

std::size_t HttpPipeline::unfinished() const noexcept {
    std::size_t n = 0;
    for (const auto& [ticket, t] : tickets_)
        if (t->state != Transfer::State::Done) ++n;
    return n;
}

HttpResponse HttpPipeline::collect(Ticket ticket) {
    Transfer& t = transfer(ticket);
    const CancelHook cancel_hook = client_.cancel_hook_;
    for (;;) {
        if (cancel_hook && cancel_hook()) throw WooError(ErrorKind::Cancelled, "request cancelled");
        set_->step();
        if (t.state == Transfer::State::Done) break;
        set_->wait();
    }
    HttpResponse out = std::move(t.response);
    tickets_.erase(ticket);
    set_->remove(t);
    return out;
}

void HttpPipeline::cancel(Ticket ticket) noexcept {
    const auto it = tickets_.find(ticket);
    if (it == tickets_.end()) return;
    set_->remove(*it->second);
    tickets_.erase(it);
}

}  // namespace wcfdw
