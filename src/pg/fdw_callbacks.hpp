// The FDW callbacks, by concern; fdw_handler.cpp puts them in the FdwRoutine.
#pragma once

#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

// fdw_planner.cpp
void get_rel_size(PlannerInfo* root, RelOptInfo* baserel, Oid relid);
void get_paths(PlannerInfo* root, RelOptInfo* baserel, Oid relid);
ForeignScan* get_plan(PlannerInfo* root, RelOptInfo* foreignrel, Oid relid, ForeignPath* best_path, List* tlist,
                      List* scan_clauses, Plan* outer_plan);
void get_upper_paths(PlannerInfo* root, UpperRelationKind stage, RelOptInfo* input_rel, RelOptInfo* output_rel,
                     void* extra);

// fdw_scan.cpp
void begin_scan(ForeignScanState* node, int eflags);
TupleTableSlot* iterate_scan(ForeignScanState* node);
void rescan(ForeignScanState* node);
void end_scan(ForeignScanState* node);
void explain_scan(ForeignScanState* node, ExplainState* es);

// import_schema.cpp
List* import_foreign_schema(ImportForeignSchemaStmt* stmt, Oid serverid);

}  // namespace wcfdw::pg
