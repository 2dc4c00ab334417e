// Values of pushed-down conditions, from PostgreSQL Datums to the plain
// strings the core's scan planner takes, and the call into that planner.
#pragma once

#include "core/scan/scan_plan.hpp"
#include "pg/foreign_table.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

// One condition with its values as C strings (palloc'd).
struct FilterValues {
    const char* field;
    int op;                 // wcfdw::CondOp
    int nvalues;
    const char** values;
    bool known;             // false: label stands for a run-time value
    bool never_true;        // col = NULL and the like: no row can match
};

// Text for a scalar Datum of `type` as the core expects it (dates as epoch
// microseconds). Returns nullptr for values that cannot be pushed (infinite
// timestamps). Plain C frame: calls output functions.
const char* filter_value_text(Datum value, Oid type);

// Fills `out` from a Datum (an array when is_array). Plain C frame.
void set_filter_values(FilterValues* out, Datum value, bool isnull, Oid type, bool is_array);

// The scan plan for these conditions. C++: call inside run_cpp.
wcfdw::ScanPlan build_scan_plan(const WooTable* table, const FilterValues* conditions, int nconditions,
                                const char* const* fields, int nfields, long limit);

}  // namespace wcfdw::pg
