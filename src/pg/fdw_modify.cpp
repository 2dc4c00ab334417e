// UPDATE and DELETE on woocommerce_fdw foreign tables, and the planning
// and EXPLAIN of every write. Rows are addressed by their key (and parent
// for nested resources: variations, notes, settings); UPDATE sends only the columns the
// statement assigns; RETURNING shows what the store answered. Creating rows
// (INSERT, COPY, routing into a foreign partition) is in fdw_insert.cpp; the
// state both share is in modify_state.cpp.
#include <cstdlib>
#include <string>

#include "pg/modify_state.hpp"
#include "pg/error_bridge.hpp"
#include "pg/fdw_callbacks.hpp"
#include "pg/foreign_table.hpp"
#include "pg/interrupts.hpp"
#include "pg/text_encoding.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

namespace {

constexpr const char* kRowidJunk = "wcfdw_rowid";
constexpr const char* kParentJunk = "wcfdw_parent";

// PlanForeignModify's fdw_private. RETURNING and WITH CHECK OPTION come
// from the plan: BeginForeignModify runs before the executor sets them up.
enum ModifyPrivateIndex { ModifyOperation = 0, ModifyTargetAttrs, ModifyReturning, ModifyCheckOptions };

AttrNumber column_named(const WooTable* table, const char* name) {
    for (int i = 0; i < table->natts; ++i)
        if (!table->columns[i].dropped && strcmp(table->columns[i].name, name) == 0) return i + 1;
    return InvalidAttrNumber;
}

AttrNumber parent_column(const WooTable* table) {
    for (int i = 0; i < table->natts; ++i)
        if (!table->columns[i].dropped && table->columns[i].source == wcfdw::ColumnSource::PathParent) return i + 1;
    return InvalidAttrNumber;
}

// Triggers that read the row the store made (NEW of an AFTER ROW trigger).
bool after_row_trigger(const ResultRelInfo* rinfo, CmdType operation) {
    const TriggerDesc* trig = rinfo->ri_TrigDesc;
    if (!trig) return false;
    if (operation == CMD_INSERT) return trig->trig_insert_after_row;
    if (operation == CMD_UPDATE) return trig->trig_update_after_row;
    return false;  // a DELETE trigger's OLD row comes from the scan
}

// PostgreSQL moves rows between partitions only out of local partitions:
// an UPDATE of a partition key column of a foreign partition would leave
// the WooCommerce object in this partition with a value outside its bounds.
void refuse_partition_key_update(const WooTable* table, Bitmapset* updated) {
    if (!get_rel_relispartition(table->relid)) return;
    Bitmapset* keys = nullptr;
    pull_varattnos(reinterpret_cast<Node*>(get_partition_qual_relid(table->relid)), 1, &keys);
    const int member = bms_next_member(bms_intersect(keys, updated), -1);
    if (member < 0) return;
    const AttrNumber attnum = member + FirstLowInvalidHeapAttributeNumber;
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("cannot change partition key column \"%s\" of foreign partition \"%s\"",
                           table->columns[attnum - 1].name, table->relname),
                    errdetail("PostgreSQL does not move rows out of a foreign partition: the WooCommerce %s would "
                              "stay in \"%s\" with a value outside its bounds.",
                              table->resource->item_noun, table->relname),
                    errhint("Restrict the UPDATE to the other partitions with a condition on the partition key, "
                            "or DELETE the rows and INSERT them into the partitioned table.")));
}

// A row's key (or its parent's) as text: 42, bacs, woocommerce_currency.
// "" when the table has no such column. Plain C frame.
const char* junk_key(TupleTableSlot* plan_slot, AttrNumber junk, const char* what) {
    if (junk == InvalidAttrNumber) return "";
    bool isnull = false;
    const Datum d = ExecGetJunkAttribute(plan_slot, junk, &isnull);
    if (isnull)
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("the row to change has no %s", what)));
    const Oid type = TupleDescAttr(plan_slot->tts_tupleDescriptor, junk - 1)->atttypid;
    if (type == INT8OID) return psprintf(INT64_FORMAT, DatumGetInt64(d));
    // Text keys cross to the store as UTF-8, like every written value.
    const char* key = TextDatumGetCString(d);
    int len;
    return server_text_to_store(key, static_cast<int>(strlen(key)), &len, TextOrigin{what, nullptr, 0});
}

// The type a key column needs: bigint for ids, text for text keys.
void check_key_column(const WooTable* table, const WooColumn* col, wcfdw::KeyType type) {
    const Oid wanted = type == wcfdw::KeyType::Text ? TEXTOID : INT8OID;
    if (col->type != wanted)
        ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                        errmsg("column \"%s\" of foreign table \"%s\" must be %s to address rows", col->name,
                               table->relname, wanted == TEXTOID ? "text" : "bigint")));
}

// For messages about a row's values: "product 42"; text keys name no number.
const char* row_noun(const WooTable* table) {
    return table->resource->key_type == wcfdw::KeyType::Integer ? table->resource->item_noun : nullptr;
}

int64 row_number(const WooTable* table, const char* key) {
    return table->resource->key_type == wcfdw::KeyType::Integer ? std::strtoll(key, nullptr, 10) : 0;
}

}  // namespace

void add_update_targets(PlannerInfo* root, Index rtindex, RangeTblEntry*, Relation target_relation) {
    WooTable* table = load_woo_table(RelationGetRelid(target_relation));
    // Before the key: a read-only resource says so, not that it lacks an id.
    refuse_unsupported_write(table, root->parse->commandType);
    const AttrNumber rowid = column_named(table, table->rowid_column);
    if (rowid == InvalidAttrNumber)
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("foreign table \"%s\" has no column \"%s\" to address rows in WooCommerce",
                               table->relname, table->rowid_column),
                        errhint("Add a column \"%s\", or name the key column with the table option rowid_column.",
                                table->rowid_column)));
    const WooColumn* col = &table->columns[rowid - 1];
    check_key_column(table, col, table->resource->key_type);
    add_row_identity_var(root, makeVar(rtindex, rowid, col->type, col->typmod, col->collation, 0), rtindex, kRowidJunk);
    const AttrNumber parent = parent_column(table);
    if (parent != InvalidAttrNumber) {
        const WooColumn* p = &table->columns[parent - 1];
        check_key_column(table, p, table->resource->parent_type);
        add_row_identity_var(root, makeVar(rtindex, parent, p->type, p->typmod, p->collation, 0), rtindex,
                             kParentJunk);
    }
}

List* plan_modify(PlannerInfo* root, ModifyTable* plan, Index resultRelation, int subplan_index) {
    const CmdType operation = plan->operation;
    RangeTblEntry* rte = planner_rt_fetch(resultRelation, root);
    WooTable* table = load_woo_table(rte->relid);
    refuse_unsupported_write(table, operation);
    if (plan->onConflictAction != ONCONFLICT_NONE) refuse_on_conflict(table->relname);
    List* target_attrs = NIL;
    if (operation == CMD_INSERT) {
        for (int i = 0; i < table->natts; ++i)
            if (!table->columns[i].dropped) target_attrs = lappend_int(target_attrs, i + 1);
    } else if (operation == CMD_UPDATE) {
        RelOptInfo* rel = find_base_rel(root, resultRelation);
        Bitmapset* updated = get_rel_all_updated_cols(root, rel);
        refuse_partition_key_update(table, updated);
        int col = -1;
        while ((col = bms_next_member(updated, col)) >= 0) {
            const AttrNumber attnum = col + FirstLowInvalidHeapAttributeNumber;
            if (attnum <= InvalidAttrNumber) continue;
            target_attrs = lappend_int(target_attrs, attnum);
        }
    }
    const bool returning = plan->returningLists && list_nth(plan->returningLists, subplan_index) != NIL;
    const bool check_options = plan->withCheckOptionLists && list_nth(plan->withCheckOptionLists, subplan_index) != NIL;
    return list_make4(makeInteger(operation), target_attrs, makeInteger(returning ? 1 : 0),
                      makeInteger(check_options ? 1 : 0));
}

void begin_modify(ModifyTableState* mtstate, ResultRelInfo* rinfo, List* fdw_private, int, int eflags) {
    if (eflags & EXEC_FLAG_EXPLAIN_ONLY) return;
    EState* estate = mtstate->ps.state;
    const CmdType operation = static_cast<CmdType>(intVal(list_nth(fdw_private, ModifyOperation)));
    List* target_attrs = static_cast<List*>(list_nth(fdw_private, ModifyTargetAttrs));
    // The store's answer fills the row when anything reads it.
    const bool fill_returned = intVal(list_nth(fdw_private, ModifyReturning)) != 0 ||
                               intVal(list_nth(fdw_private, ModifyCheckOptions)) != 0 ||
                               after_row_trigger(rinfo, operation);
    WooModifyState* state = create_modify_state(estate, rinfo, operation, target_attrs, fill_returned,
                                                modify_user(rinfo, estate));
    if (operation == CMD_INSERT && creates_may_wait(rinfo) && state->batch_size > 1 &&
        state->table->resource->writes.batch)
        state->pipeline_rows = state->batch_size * state->concurrency;
    if (operation != CMD_INSERT) {
        Plan* subplan = outerPlanState(mtstate)->plan;
        state->rowid_junk = ExecFindJunkAttributeInTlist(subplan->targetlist, kRowidJunk);
        state->parent_junk = ExecFindJunkAttributeInTlist(subplan->targetlist, kParentJunk);
        if (!AttributeNumberIsValid(state->rowid_junk))
            ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("could not find the row id of the rows to change")));
    }
}

TupleTableSlot* exec_update(EState*, ResultRelInfo* rinfo, TupleTableSlot* slot, TupleTableSlot* plan_slot) {
    WooModifyState* state = modify_state_of(rinfo);
    const char* id = junk_key(plan_slot, state->rowid_junk, "key");
    const char* parent = junk_key(plan_slot, state->parent_junk, "parent key");
    const PlainValue* plain = read_values(state, slot, row_noun(state->table), row_number(state->table, id));
    const auto deadline = statement_deadline();
    PendingError pending;
    if (!run_cpp(pending, [&] {
            ModifyRuntime* rt = state->runtime;
            DeadlineScope scope(*rt->client, deadline);
            const auto values = to_write_values(state, plain);
            const std::string label = std::string(state->table->resource->item_noun) + " " + id;
            nlohmann::json body = build_row(rt, values, label, false);
            nlohmann::json updated = rt->writer->update(id, parent, body);
            stage_warnings(state);
            if (state->fill_returned) convert_returned(state, updated, parent);
        }))
        raise_pending_error(pending);
    emit_warnings(state);
    if (state->fill_returned) store_returned_row(state, slot);
    return slot;
}

TupleTableSlot* exec_delete(EState*, ResultRelInfo* rinfo, TupleTableSlot* slot, TupleTableSlot* plan_slot) {
    WooModifyState* state = modify_state_of(rinfo);
    const char* id = junk_key(plan_slot, state->rowid_junk, "key");
    const char* parent = junk_key(plan_slot, state->parent_junk, "parent key");
    const auto deadline = statement_deadline();
    PendingError pending;
    if (!run_cpp(pending, [&] {
            DeadlineScope scope(*state->runtime->client, deadline);
            nlohmann::json deleted = state->runtime->writer->remove(id, parent);
            if (state->fill_returned) convert_returned(state, deleted, parent);
        }))
        raise_pending_error(pending);
    if (state->fill_returned) store_returned_row(state, slot);
    return slot;
}

void end_modify(EState*, ResultRelInfo* rinfo) {
    WooModifyState* state = static_cast<WooModifyState*>(rinfo->ri_FdwState);
    if (!state) return;
    send_pending_creates(state);
    free_modify_runtime(state);
    report_hidden_warnings(state);
}

int updatable(Relation rel) {
    (void)rel;
    // Read-only resources get their own error in plan_modify, with a hint.
    return (1 << CMD_INSERT) | (1 << CMD_UPDATE) | (1 << CMD_DELETE);
}

void explain_modify(ModifyTableState*, ResultRelInfo* rinfo, List* fdw_private, int, ExplainState* es) {
    WooTable* table = load_woo_table(RelationGetRelid(rinfo->ri_RelationDesc));
    const CmdType op = static_cast<CmdType>(intVal(list_nth(fdw_private, ModifyOperation)));
    const bool returning = intVal(list_nth(fdw_private, ModifyReturning)) != 0;
    const wcfdw::ResourceInfo* r = table->resource;
    const char* path = r->path;
    const char* key = r->key_field ? r->key_field : "key";
    const char* text = nullptr;
    if (op == CMD_INSERT && returning)
        text = psprintf("POST /%s per row (RETURNING)", path);
    else if (op == CMD_INSERT && !r->writes.batch)
        text = psprintf("POST /%s per row", path);
    else if (op == CMD_INSERT && !inserts_can_batch(rinfo))
        text = psprintf("POST /%s per row (row triggers or WITH CHECK OPTION)", path);
    else if (op == CMD_INSERT)
        text = psprintf("POST /%s/batch, up to %d rows per request", path, option_batch_size(table));
    else if (op == CMD_UPDATE)
        text = psprintf("PUT /%s/{%s} per row, assigned columns only", path, key);
    else
        text = psprintf("DELETE /%s/{%s}%s per row", path, key,
                        table->trash && r->writes.delete_mode == wcfdw::DeleteMode::TrashOrForce ? " (to the trash)"
                                                                                                 : "?force=true");
    ExplainPropertyText("WooCommerce Writes", text, es);
}

}  // namespace wcfdw::pg
