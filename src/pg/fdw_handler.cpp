// The foreign-data wrapper's handler: the callbacks live in fdw_planner.cpp
// (planning), fdw_scan.cpp (execution, EXPLAIN), fdw_insert.cpp (INSERT,
// COPY, routing), fdw_modify.cpp (UPDATE, DELETE) and import_schema.cpp.
#include "pg/fdw_callbacks.hpp"
#include "pg/postgres_headers.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(woocommerce_fdw_handler);
}

extern "C" Datum woocommerce_fdw_handler(PG_FUNCTION_ARGS) {
    (void)fcinfo;
    FdwRoutine* routine = makeNode(FdwRoutine);
    routine->GetForeignRelSize = wcfdw::pg::get_rel_size;
    routine->GetForeignPaths = wcfdw::pg::get_paths;
    routine->GetForeignPlan = wcfdw::pg::get_plan;
    routine->GetForeignUpperPaths = wcfdw::pg::get_upper_paths;
    routine->BeginForeignScan = wcfdw::pg::begin_scan;
    routine->IterateForeignScan = wcfdw::pg::iterate_scan;
    routine->ReScanForeignScan = wcfdw::pg::rescan;
    routine->EndForeignScan = wcfdw::pg::end_scan;
    routine->ExplainForeignScan = wcfdw::pg::explain_scan;
    routine->ImportForeignSchema = wcfdw::pg::import_foreign_schema;
    routine->AddForeignUpdateTargets = wcfdw::pg::add_update_targets;
    routine->PlanForeignModify = wcfdw::pg::plan_modify;
    routine->BeginForeignModify = wcfdw::pg::begin_modify;
    routine->GetForeignModifyBatchSize = wcfdw::pg::batch_size;
    routine->ExecForeignInsert = wcfdw::pg::exec_insert;
    routine->ExecForeignBatchInsert = wcfdw::pg::exec_batch_insert;
    routine->BeginForeignInsert = wcfdw::pg::begin_foreign_insert;
    routine->EndForeignInsert = wcfdw::pg::end_foreign_insert;
    routine->ExecForeignUpdate = wcfdw::pg::exec_update;
    routine->ExecForeignDelete = wcfdw::pg::exec_delete;
    routine->EndForeignModify = wcfdw::pg::end_modify;
    routine->IsForeignRelUpdatable = wcfdw::pg::updatable;
    routine->ExplainForeignModify = wcfdw::pg::explain_modify;
    PG_RETURN_POINTER(routine);
}
