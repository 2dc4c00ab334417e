#include "pg/interrupts.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

bool interrupt_pending() noexcept {
    return InterruptPending && (QueryCancelPending || ProcDiePending);
}

std::chrono::steady_clock::time_point statement_deadline() {
    if (StatementTimeout <= 0) return std::chrono::steady_clock::time_point::max();
    const TimestampTz start = GetCurrentStatementStartTimestamp();
    const TimestampTz now = GetCurrentTimestamp();
    const long elapsed_ms = static_cast<long>((now - start) / 1000);
    const long remaining_ms = StatementTimeout - elapsed_ms;
    return std::chrono::steady_clock::now() + std::chrono::milliseconds(remaining_ms > 0 ? remaining_ms : 0);
}

}  // namespace wcfdw::pg
