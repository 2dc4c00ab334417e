#include "pg/interrupts.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

bool interrupt_pending() noexcept {
    return InterruptPending && (QueryCancelPending || ProcDiePending);
}

std::chrono::steady_clock::time_point statement_deadline() {
    // Asked for once per row by scans: computed once per statement.
    static TimestampTz cached_start = 0;
    static int cached_timeout = -1;
    static std::chrono::steady_clock::time_point cached;
    const TimestampTz start = GetCurrentStatementStartTimestamp();
    if (start == cached_start && StatementTimeout == cached_timeout) return cached;
    cached_start = start;
    cached_timeout = StatementTimeout;
    if (StatementTimeout <= 0) {
        cached = std::chrono::steady_clock::time_point::max();
    } else {
        const long elapsed_ms = static_cast<long>((GetCurrentTimestamp() - start) / 1000);
        const long remaining_ms = StatementTimeout - elapsed_ms;
        cached = std::chrono::steady_clock::now() + std::chrono::milliseconds(remaining_ms > 0 ? remaining_ms : 0);
    }
    return cached;
}

}  // namespace wcfdw::pg
