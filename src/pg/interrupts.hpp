// Wiring the core's cancel hook and deadline to PostgreSQL's interrupts.
#pragma once

#include <chrono>

namespace wcfdw::pg {

// The core's CancelHook: true once a query cancel, statement_timeout or
// termination is pending. Only reads PostgreSQL's volatile flags; it never
// calls PostgreSQL and never raises, so it is safe from any C++ frame.
bool interrupt_pending() noexcept;

// When statement_timeout will fire for the running statement (steady clock),
// or time_point::max() without a timeout. Call from a plain C frame: it reads
// the statement start timestamp. Cheap after the first call of a statement.
std::chrono::steady_clock::time_point statement_deadline();

}  // namespace wcfdw::pg
