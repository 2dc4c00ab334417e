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

// fdw_modify.cpp
void add_update_targets(PlannerInfo* root, Index rtindex, RangeTblEntry* target_rte, Relation target_relation);
List* plan_modify(PlannerInfo* root, ModifyTable* plan, Index resultRelation, int subplan_index);
void begin_modify(ModifyTableState* mtstate, ResultRelInfo* rinfo, List* fdw_private, int subplan_index, int eflags);
TupleTableSlot* exec_update(EState* estate, ResultRelInfo* rinfo, TupleTableSlot* slot, TupleTableSlot* plan_slot);
TupleTableSlot* exec_delete(EState* estate, ResultRelInfo* rinfo, TupleTableSlot* slot, TupleTableSlot* plan_slot);
void end_modify(EState* estate, ResultRelInfo* rinfo);
int updatable(Relation rel);
void explain_modify(ModifyTableState* mtstate, ResultRelInfo* rinfo, List* fdw_private, int subplan_index,
                    ExplainState* es);

// fdw_insert.cpp
int batch_size(ResultRelInfo* rinfo);
void begin_foreign_insert(ModifyTableState* mtstate, ResultRelInfo* rinfo);
void end_foreign_insert(EState* estate, ResultRelInfo* rinfo);
TupleTableSlot* exec_insert(EState* estate, ResultRelInfo* rinfo, TupleTableSlot* slot, TupleTableSlot* plan_slot);
TupleTableSlot** exec_batch_insert(EState* estate, ResultRelInfo* rinfo, TupleTableSlot** slots,
                                   TupleTableSlot** plan_slots, int* nslots);

// import_schema.cpp
List* import_foreign_schema(ImportForeignSchemaStmt* stmt, Oid serverid);

}  // namespace wcfdw::pg
