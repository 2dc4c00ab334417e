// INSERT, UPDATE and DELETE on woocommerce_fdw foreign tables. Rows are
// addressed by their id (and parent for variations and attribute terms);
// UPDATE sends only the columns the statement assigns; INSERT without
// RETURNING goes through the batch endpoint (PostgreSQL's batch-insert API);
// RETURNING shows what the store answered. The C++ side (client, writer,
// payload builder, converter) lives in one heap object freed at the end of
// the statement, or by a reset callback when it fails.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/scan/row_converter.hpp"
#include "core/write/store_writer.hpp"
#include "core/write/write_payload.hpp"
#include "pg/cell_datum.hpp"
#include "pg/error_bridge.hpp"
#include "pg/fdw_callbacks.hpp"
#include "pg/foreign_table.hpp"
#include "pg/interrupts.hpp"
#include "pg/store_cache.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

namespace {

constexpr const char* kRowidJunk = "wcfdw_rowid";
constexpr const char* kParentJunk = "wcfdw_parent";

enum ModifyPrivateIndex { ModifyOperation = 0, ModifyTargetAttrs, ModifyReturning };

// One column value as plain C data, read from a slot.
struct PlainValue {
    int kind;  // wcfdw::WriteValue::Kind
    int64 i;
    bool b;
    const char* text;
};

struct ModifyRuntime {
    std::shared_ptr<wcfdw::StoreClient> client;
    std::unique_ptr<wcfdw::StoreWriter> writer;
    std::unique_ptr<wcfdw::PayloadBuilder> builder;
    std::unique_ptr<wcfdw::RowConverter> converter;  // every column, for RETURNING
    std::vector<wcfdw::Cell> cells;
    std::set<std::string> skus;                       // SKUs this statement created
    std::int64_t current_id = 0;  // the object being converted, for error context
};

struct WooModifyState {
    ModifyRuntime* runtime;
    MemoryContextCallback cleanup;
    WooTable* table;
    StoreLink link;
    CmdType operation;
    bool returning;
    int ntarget;
    AttrNumber* target_attrs;
    FmgrInfo* out_funcs;
    AttrNumber rowid_junk;
    AttrNumber parent_junk;
    int batch_size;
    int nall;
    AttrNumber* all_attrs;
    FmgrInfo* in_funcs;
    Oid* ioparams;
    int64 rows_seen;
    const char* error_column;
};

void free_runtime(void* arg) {
    WooModifyState* state = static_cast<WooModifyState*>(arg);
    delete_quietly(state->runtime);
}

void conversion_context(void* arg) {
    WooModifyState* state = static_cast<WooModifyState*>(arg);
    if (!state->error_column) return;
    errcontext("column \"%s\" of foreign table \"%s\", %s " INT64_FORMAT " returned by the store",
               state->error_column, state->table->relname, state->table->resource->item_noun,
               state->runtime ? static_cast<int64>(state->runtime->current_id) : 0);
}

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

int option_batch_size(const WooTable* table) {
    if (table->batch_size > 0) return table->batch_size;
    ForeignServer* server = GetForeignServer(table->serverid);
    ListCell* lc;
    foreach (lc, server->options) {
        DefElem* def = lfirst_node(DefElem, lc);
        if (strcmp(def->defname, "batch_size") == 0) return atoi(defGetString(def));
    }
    return 100;
}

// The target columns' values of one slot. Plain C frame.
PlainValue* read_values(WooModifyState* state, TupleTableSlot* slot) {
    PlainValue* values = static_cast<PlainValue*>(palloc0(sizeof(PlainValue) * (state->ntarget + 1)));
    slot_getallattrs(slot);
    for (int k = 0; k < state->ntarget; ++k) {
        const AttrNumber attnum = state->target_attrs[k];
        const WooColumn* col = &state->table->columns[attnum - 1];
        PlainValue* v = &values[k];
        if (slot->tts_isnull[attnum - 1]) {
            v->kind = wcfdw::WriteValue::Null;
            continue;
        }
        const Datum d = slot->tts_values[attnum - 1];
        switch (col->type) {
        case INT8OID: v->kind = wcfdw::WriteValue::Int; v->i = DatumGetInt64(d); break;
        case INT4OID: v->kind = wcfdw::WriteValue::Int; v->i = DatumGetInt32(d); break;
        case INT2OID: v->kind = wcfdw::WriteValue::Int; v->i = DatumGetInt16(d); break;
        case BOOLOID: v->kind = wcfdw::WriteValue::Bool; v->b = DatumGetBool(d); break;
        case TIMESTAMPTZOID: {
            const TimestampTz ts = DatumGetTimestampTz(d);
            if (TIMESTAMP_NOT_FINITE(ts))
                ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                                errmsg("column \"%s\": WooCommerce cannot store an infinite date", col->name)));
            const int64 micros = ts + (int64)(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;
            v->kind = wcfdw::WriteValue::Timestamp;
            v->i = micros >= 0 ? micros / 1000000 : -((-micros + 999999) / 1000000);
            break;
        }
        default:
            v->kind = wcfdw::WriteValue::Text;
            v->text = OutputFunctionCall(&state->out_funcs[k], d);
            break;
        }
    }
    return values;
}

std::vector<wcfdw::WriteValue> to_write_values(const WooModifyState* state, const PlainValue* plain) {
    std::vector<wcfdw::WriteValue> values(static_cast<std::size_t>(state->ntarget));
    for (int k = 0; k < state->ntarget; ++k) {
        values[k].kind = static_cast<wcfdw::WriteValue::Kind>(plain[k].kind);
        values[k].i = plain[k].i;
        values[k].b = plain[k].b;
        if (plain[k].text) values[k].text = plain[k].text;
    }
    return values;
}

// A SKU twice in one statement would fail in the store after the first one
// was created: refuse before sending.
void check_duplicate_sku(ModifyRuntime* rt, const nlohmann::json& body, const std::string& label) {
    const auto it = body.find("sku");
    if (it == body.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) return;
    if (!rt->skus.insert(it->get<std::string>()).second) {
        wcfdw::WooError e(wcfdw::ErrorKind::Conflict,
                          "duplicate SKU '" + it->get<std::string>() + "' in this statement (" + label + ")",
                          "Already applied in the store by this statement: " + rt->writer->applied() +
                              ". ROLLBACK does not undo changes in WooCommerce.",
                          "WooCommerce SKUs are unique: give each row its own SKU.");
        throw e;
    }
}

// Fills `slot` with the object the store answered (RETURNING). Plain C frame.
void store_returned_row(WooModifyState* state, TupleTableSlot* slot) {
    ExecClearTuple(slot);
    const int natts = slot->tts_tupleDescriptor->natts;
    for (int a = 0; a < natts; ++a) slot->tts_isnull[a] = true;
    ErrorContextCallback context;
    context.callback = conversion_context;
    context.arg = state;
    context.previous = error_context_stack;
    error_context_stack = &context;
    for (int k = 0; k < state->nall; ++k) {
        const int a = state->all_attrs[k] - 1;
        const WooColumn* col = &state->table->columns[a];
        state->error_column = col->name;
        slot->tts_values[a] = cell_to_datum(col, state->runtime->cells[k], &state->in_funcs[k], state->ioparams[k],
                                            &slot->tts_isnull[a]);
    }
    state->error_column = nullptr;
    error_context_stack = context.previous;
    ExecStoreVirtualTuple(slot);
}

void convert_returned(WooModifyState* state, const nlohmann::json& object, std::int64_t parent) {
    ModifyRuntime* rt = state->runtime;
    const auto id = object.find("id");
    rt->current_id = id != object.end() && id->is_number_integer() ? id->get<std::int64_t>() : 0;
    rt->converter->convert(object, parent, rt->cells);
}

int64 junk_int(TupleTableSlot* plan_slot, AttrNumber junk, const char* what) {
    if (junk == InvalidAttrNumber) return 0;
    bool isnull = false;
    const Datum d = ExecGetJunkAttribute(plan_slot, junk, &isnull);
    if (isnull)
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("the row to change has no %s", what)));
    return DatumGetInt64(d);
}

}  // namespace

void add_update_targets(PlannerInfo* root, Index rtindex, RangeTblEntry*, Relation target_relation) {
    WooTable* table = load_woo_table(RelationGetRelid(target_relation));
    const AttrNumber rowid = column_named(table, table->rowid_column);
    if (rowid == InvalidAttrNumber)
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                        errmsg("foreign table \"%s\" has no column \"%s\" to address rows in WooCommerce",
                               table->relname, table->rowid_column),
                        errhint("Add an id bigint column, or name the id column with the table option rowid_column.")));
    const WooColumn* col = &table->columns[rowid - 1];
    if (col->type != INT8OID)
        ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                        errmsg("column \"%s\" of foreign table \"%s\" must be bigint to address rows", col->name,
                               table->relname)));
    add_row_identity_var(root, makeVar(rtindex, rowid, col->type, col->typmod, col->collation, 0), rtindex, kRowidJunk);
    const AttrNumber parent = parent_column(table);
    if (parent != InvalidAttrNumber) {
        const WooColumn* p = &table->columns[parent - 1];
        if (p->type == INT8OID)
            add_row_identity_var(root, makeVar(rtindex, parent, p->type, p->typmod, p->collation, 0), rtindex,
                                 kParentJunk);
    }
}

List* plan_modify(PlannerInfo* root, ModifyTable* plan, Index resultRelation, int subplan_index) {
    const CmdType operation = plan->operation;
    RangeTblEntry* rte = planner_rt_fetch(resultRelation, root);
    WooTable* table = load_woo_table(rte->relid);
    if (!table->resource->writable)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("foreign table \"%s\" shows WooCommerce %s, which woocommerce_fdw only reads",
                               table->relname, table->resource->name),
                        errhint("Orders and customers are read-only here; change them in WooCommerce.")));
    List* target_attrs = NIL;
    if (operation == CMD_INSERT) {
        for (int i = 0; i < table->natts; ++i)
            if (!table->columns[i].dropped) target_attrs = lappend_int(target_attrs, i + 1);
    } else if (operation == CMD_UPDATE) {
        RelOptInfo* rel = find_base_rel(root, resultRelation);
        Bitmapset* updated = get_rel_all_updated_cols(root, rel);
        int col = -1;
        while ((col = bms_next_member(updated, col)) >= 0) {
            const AttrNumber attnum = col + FirstLowInvalidHeapAttributeNumber;
            if (attnum <= InvalidAttrNumber) continue;
            if (table->columns[attnum - 1].source == wcfdw::ColumnSource::PathParent)
                ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                                errmsg("WooCommerce cannot move %s to another parent", table->resource->name),
                                errhint("Delete the row and insert it under the other parent.")));
            target_attrs = lappend_int(target_attrs, attnum);
        }
    }
    const bool returning = plan->returningLists && list_nth(plan->returningLists, subplan_index) != NIL;
    return list_make3(makeInteger(operation), target_attrs, makeInteger(returning ? 1 : 0));
}

void begin_modify(ModifyTableState* mtstate, ResultRelInfo* rinfo, List* fdw_private, int, int eflags) {
    if (eflags & EXEC_FLAG_EXPLAIN_ONLY) return;
    EState* estate = mtstate->ps.state;
    WooModifyState* state = static_cast<WooModifyState*>(palloc0(sizeof(WooModifyState)));
    rinfo->ri_FdwState = state;
    state->operation = static_cast<CmdType>(intVal(list_nth(fdw_private, ModifyOperation)));
    List* target_attrs = static_cast<List*>(list_nth(fdw_private, ModifyTargetAttrs));
    state->returning = intVal(list_nth(fdw_private, ModifyReturning)) != 0;
    state->table = load_woo_table(RelationGetRelid(rinfo->ri_RelationDesc));
    const Oid userid = compat::modify_check_as_user(rinfo, estate);
    state->link = lookup_store_link(state->table->serverid, userid);
    state->batch_size = option_batch_size(state->table);

    state->ntarget = list_length(target_attrs);
    state->target_attrs = static_cast<AttrNumber*>(palloc(sizeof(AttrNumber) * (state->ntarget + 1)));
    state->out_funcs = static_cast<FmgrInfo*>(palloc0(sizeof(FmgrInfo) * (state->ntarget + 1)));
    ListCell* lc;
    int k = 0;
    foreach (lc, target_attrs) {
        const AttrNumber attnum = static_cast<AttrNumber>(lfirst_int(lc));
        state->target_attrs[k] = attnum;
        Oid output;
        bool varlena;
        getTypeOutputInfo(state->table->columns[attnum - 1].type, &output, &varlena);
        fmgr_info(output, &state->out_funcs[k]);
        ++k;
    }
    state->all_attrs = static_cast<AttrNumber*>(palloc(sizeof(AttrNumber) * (state->table->natts + 1)));
    state->in_funcs = static_cast<FmgrInfo*>(palloc0(sizeof(FmgrInfo) * (state->table->natts + 1)));
    state->ioparams = static_cast<Oid*>(palloc(sizeof(Oid) * (state->table->natts + 1)));
    for (int i = 0; i < state->table->natts; ++i) {
        if (state->table->columns[i].dropped) continue;
        state->all_attrs[state->nall] = i + 1;
        Oid input;
        getTypeInputInfo(state->table->columns[i].type, &input, &state->ioparams[state->nall]);
        fmgr_info(input, &state->in_funcs[state->nall]);
        ++state->nall;
    }
    if (state->operation != CMD_INSERT) {
        Plan* subplan = outerPlanState(mtstate)->plan;
        state->rowid_junk = ExecFindJunkAttributeInTlist(subplan->targetlist, kRowidJunk);
        state->parent_junk = ExecFindJunkAttributeInTlist(subplan->targetlist, kParentJunk);
        if (!AttributeNumberIsValid(state->rowid_junk))
            ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("could not find the row id of the rows to change")));
    }

    const auto deadline = statement_deadline();
    PendingError pending;
    if (!run_cpp(pending, [&] {
            auto rt = std::make_unique<ModifyRuntime>();
            rt->client = store_client_for(state->link, deadline);
            rt->writer = std::make_unique<wcfdw::StoreWriter>(*rt->client, *state->table->resource,
                                                              state->table->relname, state->table->trash);
            std::vector<wcfdw::WriteColumn> targets;
            for (int t = 0; t < state->ntarget; ++t) {
                const WooColumn* col = &state->table->columns[state->target_attrs[t] - 1];
                targets.push_back({col->name, col->kind, col->field, col->source});
            }
            rt->builder = std::make_unique<wcfdw::PayloadBuilder>(state->table->relname, *state->table->resource,
                                                                  std::move(targets));
            if (state->operation == CMD_UPDATE) rt->builder->check_writable();
            std::vector<wcfdw::ColumnSpec> all;
            for (int a = 0; a < state->nall; ++a) {
                const WooColumn* col = &state->table->columns[state->all_attrs[a] - 1];
                all.push_back({col->name, col->kind, col->field, col->source});
            }
            rt->converter = std::make_unique<wcfdw::RowConverter>(state->table->relname, *state->table->resource,
                                                                  std::move(all));
            state->runtime = rt.release();
        }))
        raise_pending_error(pending);
    state->cleanup.func = free_runtime;
    state->cleanup.arg = state;
    MemoryContextRegisterResetCallback(estate->es_query_cxt, &state->cleanup);
}

int batch_size(ResultRelInfo* rinfo) {
    WooModifyState* state = static_cast<WooModifyState*>(rinfo->ri_FdwState);
    // PostgreSQL batches only rows whose results nobody looks at.
    if (rinfo->ri_projectReturning || rinfo->ri_WithCheckOptions ||
        (rinfo->ri_TrigDesc && (rinfo->ri_TrigDesc->trig_insert_before_row || rinfo->ri_TrigDesc->trig_insert_after_row)))
        return 1;
    if (!state) return 1;
    return state->batch_size;
}

TupleTableSlot* exec_insert(EState*, ResultRelInfo* rinfo, TupleTableSlot* slot, TupleTableSlot*) {
    WooModifyState* state = static_cast<WooModifyState*>(rinfo->ri_FdwState);
    const PlainValue* plain = read_values(state, slot);
    const int64 row = ++state->rows_seen;
    PendingError pending;
    if (!run_cpp(pending, [&] {
            ModifyRuntime* rt = state->runtime;
            const auto values = to_write_values(state, plain);
            const std::string label = "row " + std::to_string(row);
            nlohmann::json body = rt->builder->build(values, label, true);
            check_duplicate_sku(rt, body, label);
            const std::int64_t parent = rt->builder->parent_of(values);
            nlohmann::json created = rt->writer->create(body, parent, label);
            if (state->returning) convert_returned(state, created, parent);
        }))
        raise_pending_error(pending);
    if (state->returning) store_returned_row(state, slot);
    return slot;
}

TupleTableSlot** exec_batch_insert(EState*, ResultRelInfo* rinfo, TupleTableSlot** slots, TupleTableSlot**,
                                   int* nslots) {
    WooModifyState* state = static_cast<WooModifyState*>(rinfo->ri_FdwState);
    const int n = *nslots;
    const PlainValue** plain = static_cast<const PlainValue**>(palloc(sizeof(PlainValue*) * (n + 1)));
    for (int i = 0; i < n; ++i) plain[i] = read_values(state, slots[i]);
    const int64 first_row = state->rows_seen + 1;
    state->rows_seen += n;
    PendingError pending;
    if (!run_cpp(pending, [&] {
            ModifyRuntime* rt = state->runtime;
            std::vector<nlohmann::json> bodies;
            std::vector<std::int64_t> parents;
            std::vector<std::string> labels;
            // Every row is checked before anything is sent.
            for (int i = 0; i < n; ++i) {
                const auto values = to_write_values(state, plain[i]);
                labels.push_back("row " + std::to_string(first_row + i));
                bodies.push_back(rt->builder->build(values, labels.back(), true));
                check_duplicate_sku(rt, bodies.back(), labels.back());
                parents.push_back(rt->builder->parent_of(values));
            }
            rt->writer->create_batch(bodies, parents, labels);
        }))
        raise_pending_error(pending);
    return slots;
}

TupleTableSlot* exec_update(EState*, ResultRelInfo* rinfo, TupleTableSlot* slot, TupleTableSlot* plan_slot) {
    WooModifyState* state = static_cast<WooModifyState*>(rinfo->ri_FdwState);
    const int64 id = junk_int(plan_slot, state->rowid_junk, "id");
    const int64 parent = junk_int(plan_slot, state->parent_junk, "parent id");
    const PlainValue* plain = read_values(state, slot);
    PendingError pending;
    if (!run_cpp(pending, [&] {
            ModifyRuntime* rt = state->runtime;
            const auto values = to_write_values(state, plain);
            const std::string label = std::string(state->table->resource->item_noun) + " " + std::to_string(id);
            nlohmann::json body = rt->builder->build(values, label, false);
            nlohmann::json updated = rt->writer->update(id, parent, body);
            if (state->returning) convert_returned(state, updated, parent);
        }))
        raise_pending_error(pending);
    if (state->returning) store_returned_row(state, slot);
    return slot;
}

TupleTableSlot* exec_delete(EState*, ResultRelInfo* rinfo, TupleTableSlot* slot, TupleTableSlot* plan_slot) {
    WooModifyState* state = static_cast<WooModifyState*>(rinfo->ri_FdwState);
    const int64 id = junk_int(plan_slot, state->rowid_junk, "id");
    const int64 parent = junk_int(plan_slot, state->parent_junk, "parent id");
    PendingError pending;
    if (!run_cpp(pending, [&] {
            nlohmann::json deleted = state->runtime->writer->remove(id, parent);
            if (state->returning) convert_returned(state, deleted, parent);
        }))
        raise_pending_error(pending);
    if (state->returning) store_returned_row(state, slot);
    return slot;
}

void end_modify(EState*, ResultRelInfo* rinfo) {
    WooModifyState* state = static_cast<WooModifyState*>(rinfo->ri_FdwState);
    if (state) free_runtime(state);
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
    const char* path = table->resource->path;
    const char* text = nullptr;
    if (op == CMD_INSERT)
        text = returning ? psprintf("POST /%s per row (RETURNING)", path)
                         : psprintf("POST /%s/batch, up to %d rows per request", path, batch_size(rinfo) > 1 ? batch_size(rinfo) : option_batch_size(table));
    else if (op == CMD_UPDATE)
        text = psprintf("PUT /%s/{id} per row, assigned columns only", path);
    else
        text = psprintf("DELETE /%s/{id}%s per row", path, table->trash ? " (to the trash)" : "?force=true");
    ExplainPropertyText("WooCommerce Writes", text, es);
}

}  // namespace wcfdw::pg
