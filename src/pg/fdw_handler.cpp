// The foreign-data wrapper's handler. Scans are the read-path issue's work;
// until then every scan callback answers with a clear "not supported" error
// rather than crashing or returning nothing.
#include "pg/postgres_headers.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(woocommerce_fdw_handler);
}

namespace {

[[noreturn]] void scans_not_implemented() {
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("reading woocommerce_fdw foreign tables is not implemented yet"),
                    errhint("Use woocommerce.test_connection() to check a store link.")));
    pg_unreachable();
}

void get_rel_size(PlannerInfo*, RelOptInfo*, Oid) { scans_not_implemented(); }
void get_paths(PlannerInfo*, RelOptInfo*, Oid) { scans_not_implemented(); }
ForeignScan* get_plan(PlannerInfo*, RelOptInfo*, Oid, ForeignPath*, List*, List*, Plan*) { scans_not_implemented(); }
void begin_scan(ForeignScanState*, int) { scans_not_implemented(); }
TupleTableSlot* iterate_scan(ForeignScanState*) { scans_not_implemented(); }
void rescan(ForeignScanState*) { scans_not_implemented(); }
void end_scan(ForeignScanState*) {}

}  // namespace

extern "C" Datum woocommerce_fdw_handler(PG_FUNCTION_ARGS) {
    (void)fcinfo;
    FdwRoutine* routine = makeNode(FdwRoutine);
    routine->GetForeignRelSize = get_rel_size;
    routine->GetForeignPaths = get_paths;
    routine->GetForeignPlan = get_plan;
    routine->BeginForeignScan = begin_scan;
    routine->IterateForeignScan = iterate_scan;
    routine->ReScanForeignScan = rescan;
    routine->EndForeignScan = end_scan;
    PG_RETURN_POINTER(routine);
}
