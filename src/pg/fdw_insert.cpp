// Creating rows: INSERT one row at a time (RETURNING, row triggers) or in
// batches (PostgreSQL's batch-insert API), COPY FROM, and rows PostgreSQL
// routes into a foreign partition of a partitioned table.
//
// COPY and routing do not plan a write on the foreign table: PostgreSQL
// calls BeginForeignInsert instead of BeginForeignModify, possibly on a
// ResultRelInfo without a range table entry, and EndForeignInsert at the
// end. PostgreSQL 16 and later hand COPY's rows over in batches; earlier
// versions hand them over one at a time, so for COPY we collect them here
// and send full batches ourselves (the last one from EndForeignInsert).
#include <string>
#include <vector>

#include "pg/modify_state.hpp"
#include "pg/error_bridge.hpp"
#include "pg/fdw_callbacks.hpp"
#include "pg/interrupts.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

namespace {

// Inside run_cpp: the waiting rows as batch requests, concurrency at once.
void send_pending(WooModifyState* state) {
    PendingCreates& p = state->runtime->pending;
    if (p.bodies.empty()) return;
    state->runtime->writer->create_batch(p.bodies, p.parents, p.labels, static_cast<std::size_t>(state->batch_size));
    p.clear();
    stage_warnings(state);
}

// Inside run_cpp: one more checked row waits; a full pipeline goes out.
void add_pending(WooModifyState* state, nlohmann::json body, std::int64_t parent, std::string label) {
    PendingCreates& p = state->runtime->pending;
    p.bodies.push_back(std::move(body));
    p.parents.push_back(parent);
    p.labels.push_back(std::move(label));
    const int limit = state->pipeline_rows > 0 ? state->pipeline_rows : state->batch_size;
    if (static_cast<int>(p.bodies.size()) >= limit) send_pending(state);
}

// Every column of the table, in attnum order: an INSERT sends what is not NULL.
List* all_columns(Relation rel) {
    List* attrs = NIL;
    TupleDesc desc = RelationGetDescr(rel);
    for (int i = 0; i < desc->natts; ++i)
        if (!TupleDescAttr(desc, i)->attisdropped) attrs = lappend_int(attrs, i + 1);
    return attrs;
}

bool has_after_row_insert_trigger(const ResultRelInfo* rinfo) {
    return rinfo->ri_TrigDesc && rinfo->ri_TrigDesc->trig_insert_after_row;
}

// Statements we cannot honour on a foreign partition: refused before any
// request, with the same SQLSTATE as on the foreign table itself.
void refuse_unsupported_routing(ModifyTableState* mtstate, ResultRelInfo* rinfo) {
    const char* relname = RelationGetRelationName(rinfo->ri_RelationDesc);
    if (rinfo->ri_FdwState)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("cannot move rows into foreign table \"%s\", which the same UPDATE changes", relname),
                        errdetail("The new partition key value belongs to the WooCommerce foreign partition."),
                        errhint("Update the foreign partition's rows and the other partitions' rows in separate "
                                "statements, or DELETE the rows and INSERT them into the partitioned table.")));
    if (mtstate->operation == CMD_MERGE)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("MERGE cannot insert into WooCommerce foreign table \"%s\"", relname),
                        errhint("Use INSERT for the new rows and UPDATE for the existing ones.")));
    const ModifyTable* plan = reinterpret_cast<const ModifyTable*>(mtstate->ps.plan);
    if (plan && plan->onConflictAction != ONCONFLICT_NONE) refuse_on_conflict(relname);
}

}  // namespace

int batch_size(ResultRelInfo* rinfo) {
    WooModifyState* state = static_cast<WooModifyState*>(rinfo->ri_FdwState);
    // PostgreSQL batches only rows whose results nobody looks at.
    if (!inserts_can_batch(rinfo)) return 1;
    if (!state || !state->table->resource->writes.batch) return 1;  // no batch endpoint: a POST per row
    return state->batch_size;
}

void begin_foreign_insert(ModifyTableState* mtstate, ResultRelInfo* rinfo) {
    refuse_unsupported_routing(mtstate, rinfo);
    // COPY into a resource WooCommerce does not create rows of (reports,
    // settings): refused before any row is read.
    refuse_unsupported_write(load_woo_table(RelationGetRelid(rinfo->ri_RelationDesc)), CMD_INSERT);
    EState* estate = mtstate->ps.state;
    // Routing sets up RETURNING and WITH CHECK OPTION before calling us.
    const bool fill_returned =
        rinfo->ri_projectReturning || rinfo->ri_WithCheckOptions || has_after_row_insert_trigger(rinfo);
    WooModifyState* state = create_modify_state(estate, rinfo, CMD_INSERT, all_columns(rinfo->ri_RelationDesc),
                                                fill_returned, modify_user(rinfo, estate));
    // COPY has no plan. A statement-level AFTER trigger (of the table, or
    // of the partitioned table COPY routes from) runs before
    // EndForeignInsert: it must not miss the last batch.
    const bool copy = mtstate->ps.plan == nullptr;
    // Without a batch endpoint every row is its own POST, sent at once.
    const bool may_wait = creates_may_wait(rinfo) && state->batch_size > 1 && state->table->resource->writes.batch;
    state->buffered = copy && may_wait;
    if (may_wait) state->pipeline_rows = state->batch_size * state->concurrency;
}

bool creates_may_wait(const ResultRelInfo* rinfo) {
    const ResultRelInfo* root = rinfo->ri_RootResultRelInfo ? rinfo->ri_RootResultRelInfo : rinfo;
    const bool after_statement = (rinfo->ri_TrigDesc && rinfo->ri_TrigDesc->trig_insert_after_statement) ||
                                 (root->ri_TrigDesc && root->ri_TrigDesc->trig_insert_after_statement);
    return inserts_can_batch(rinfo) && !after_statement;
}

void send_pending_creates(WooModifyState* state) {
    if (!state->runtime || state->runtime->pending.bodies.empty()) return;
    const auto deadline = statement_deadline();
    PendingError pending;
    if (!run_cpp(pending, [&] {
            DeadlineScope scope(*state->runtime->client, deadline);
            send_pending(state);
        }))
        raise_pending_error(pending);
    emit_warnings(state);
}

void end_foreign_insert(EState*, ResultRelInfo* rinfo) {
    WooModifyState* state = static_cast<WooModifyState*>(rinfo->ri_FdwState);
    if (!state || !state->runtime) return;
    send_pending_creates(state);
    free_modify_runtime(state);
    report_hidden_warnings(state);
}

TupleTableSlot* exec_insert(EState* estate, ResultRelInfo* rinfo, TupleTableSlot* slot, TupleTableSlot*) {
    WooModifyState* state = modify_state_of(rinfo);
    // A row a view's CHECK OPTION refuses is refused before it exists in the
    // store (which cannot roll back); PostgreSQL checks the store's answer again.
    if (rinfo->ri_WithCheckOptions) ExecWithCheckOptions(WCO_VIEW_CHECK, rinfo, slot, estate);
    const int64 row = ++state->rows_seen;
    const PlainValue* plain = read_values(state, slot, "row", row);
    const auto deadline = statement_deadline();
    PendingError pending;
    if (!run_cpp(pending, [&] {
            ModifyRuntime* rt = state->runtime;
            DeadlineScope scope(*rt->client, deadline);
            const auto values = to_write_values(state, plain);
            std::string label = "row " + std::to_string(row);
            nlohmann::json body = build_row(rt, values, label, true);
            check_duplicate_sku(rt, body, label);
            const std::int64_t parent = rt->builder->parent_of(values);
            if (state->buffered) {
                add_pending(state, std::move(body), parent, std::move(label));
                return;
            }
            nlohmann::json created = rt->writer->create(body, parent, label);
            stage_warnings(state);
            if (state->fill_returned) convert_returned(state, created, parent > 0 ? std::to_string(parent) : "");
        }))
        raise_pending_error(pending);
    emit_warnings(state);
    if (state->fill_returned && !state->buffered) store_returned_row(state, slot);
    return slot;
}

TupleTableSlot** exec_batch_insert(EState*, ResultRelInfo* rinfo, TupleTableSlot** slots, TupleTableSlot**,
                                   int* nslots) {
    WooModifyState* state = modify_state_of(rinfo);
    // PostgreSQL projects no RETURNING and passes batched rows to AFTER
    // triggers as they are: rows whose result is needed must come one by one.
    if (!inserts_can_batch(rinfo))
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("woocommerce_fdw cannot return the rows of a batch insert into foreign table \"%s\"",
                               state->table->relname),
                        errhint("ALTER FOREIGN TABLE %s OPTIONS (ADD batch_size '1') makes every row its own request.",
                                quote_identifier(state->table->relname))));
    const int n = *nslots;
    const PlainValue** plain = static_cast<const PlainValue**>(palloc(sizeof(PlainValue*) * (n + 1)));
    const int64 first_row = state->rows_seen + 1;
    for (int i = 0; i < n; ++i) plain[i] = read_values(state, slots[i], "row", first_row + i);
    state->rows_seen += n;
    const auto deadline = statement_deadline();
    PendingError pending;
    if (!run_cpp(pending, [&] {
            ModifyRuntime* rt = state->runtime;
            DeadlineScope scope(*rt->client, deadline);
            PendingCreates batch;
            // Every row is checked before anything is sent.
            for (int i = 0; i < n; ++i) {
                const auto values = to_write_values(state, plain[i]);
                batch.labels.push_back("row " + std::to_string(first_row + i));
                batch.bodies.push_back(build_row(rt, values, batch.labels.back(), true));
                check_duplicate_sku(rt, batch.bodies.back(), batch.labels.back());
                batch.parents.push_back(rt->builder->parent_of(values));
            }
            if (state->pipeline_rows == 0) {
                rt->writer->create_batch(batch.bodies, batch.parents, batch.labels,
                                         static_cast<std::size_t>(state->batch_size));
                stage_warnings(state);
                return;
            }
            // Up to concurrency batches go out together (the last ones
            // when the statement ends).
            for (int i = 0; i < n; ++i)
                add_pending(state, std::move(batch.bodies[i]), batch.parents[i], std::move(batch.labels[i]));
        }))
        raise_pending_error(pending);
    emit_warnings(state);
    return slots;
}

}  // namespace wcfdw::pg
