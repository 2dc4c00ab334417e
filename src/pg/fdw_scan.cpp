// Executing a scan: evaluate the pushed-down values (outer rows of a join
// included), plan the requests in the core, stream objects from the store
// and turn them into tuples. The C++ side of a scan (client, cursor,
// converter, the current page) lives in one heap object owned by the scan
// and freed by EndForeignScan, or by a reset callback on the query's memory
// context when the statement fails or is cancelled.
#include <memory>
#include <string>
#include <vector>

#include "core/scan/row_converter.hpp"
#include "core/scan/scan_cursor.hpp"
#include "core/transport/url.hpp"
#include "pg/cell_datum.hpp"
#include "pg/error_bridge.hpp"
#include "pg/fdw_callbacks.hpp"
#include "pg/fdw_private.hpp"
#include "pg/filter_values.hpp"
#include "pg/foreign_table.hpp"
#include "pg/interrupts.hpp"
#include "pg/store_cache.hpp"
#include "pg/text_encoding.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

namespace {

struct ScanRuntime {
    std::shared_ptr<wcfdw::StoreClient> client;
    std::unique_ptr<wcfdw::ScanCursor> cursor;
    std::unique_ptr<wcfdw::RowConverter> converter;
    std::vector<wcfdw::Cell> cells;
    std::vector<std::string> explain_lines;
    wcfdw::ScanStats done;  // stats of cursors finished by rescans
    std::int64_t current_id = 0;  // the object being converted, for error context
};

struct WooScanState {
    ScanRuntime* runtime;
    MemoryContextCallback cleanup;
    WooTable* table;
    StoreLink link;
    bool have_link;
    List* conditions;
    List* value_states;
    int nconditions;
    FilterValues* values;
    MemoryContext values_cxt;  // the values' text, reset by every evaluation (rescans)
    const char** fields;
    int nfields;
    int limit;
    bool count_mode;
    bool count_done;
    int nattrs;
    AttrNumber* attrs;
    FmgrInfo* in_funcs;     // by position in attrs
    Oid* ioparams;
    const char* error_column;  // set while a column's input function runs
};

void free_runtime(void* arg) {
    WooScanState* state = static_cast<WooScanState*>(arg);
    delete_quietly(state->runtime);
}

// "column x of foreign table y, product 42" on errors of input functions.
void conversion_context(void* arg) {
    WooScanState* state = static_cast<WooScanState*>(arg);
    if (!state->error_column) return;
    errcontext("column \"%s\" of foreign table \"%s\", %s " INT64_FORMAT, state->error_column, state->table->relname,
               state->table->resource->item_noun, state->runtime ? static_cast<int64>(state->runtime->current_id) : 0);
}

// Evaluates the condition values. At EXPLAIN time (explain_only) only
// constants and external parameters are evaluated; run-time values keep
// their label.
void evaluate_values(ForeignScanState* node, WooScanState* state, bool explain_only) {
    ExprContext* econtext = node->ss.ps.ps_ExprContext;
    // A parameterized scan is evaluated again for every outer row: what
    // the last evaluation made goes, or a nested loop's memory would grow
    // with every rescan.
    MemoryContextReset(state->values_cxt);
    MemoryContext old = MemoryContextSwitchTo(state->values_cxt);
    ListCell* lc;
    int i = 0;
    foreach (lc, state->conditions) {
        List* cond = static_cast<List*>(lfirst(lc));
        FilterValues* fv = &state->values[i++];
        fv->field = strVal(list_nth(cond, CondField));
        fv->op = intVal(list_nth(cond, CondOp));
        fv->known = true;
        const int expr_index = intVal(list_nth(cond, CondExpr));
        const bool is_array = intVal(list_nth(cond, CondIsArray)) != 0;
        ExprState* es = static_cast<ExprState*>(list_nth(state->value_states, expr_index));
        Expr* expr = es->expr;
        bool runtime_only = false;
        if (explain_only) {
            Expr* e = expr;
            while (e && IsA(e, RelabelType)) e = reinterpret_cast<RelabelType*>(e)->arg;
            runtime_only = !(IsA(e, Const) || (IsA(e, Param) && reinterpret_cast<Param*>(e)->paramkind == PARAM_EXTERN));
        }
        if (runtime_only) {
            fv->known = false;
            fv->never_true = false;
            fv->nvalues = 1;
            fv->values = static_cast<const char**>(palloc(sizeof(char*)));
            fv->values[0] = strVal(list_nth(cond, CondLabel));
            continue;
        }
        bool isnull = false;
        const Datum value = ExecEvalExpr(es, econtext, &isnull);
        set_filter_values(fv, value, isnull, exprType(reinterpret_cast<Node*>(expr)), is_array);
    }
    MemoryContextSwitchTo(old);
}

// What the filter columns show: the term ids a category/tag filter asks
// for, the value a report's period was asked with.
void set_term_filters(WooScanState* state) {
    ScanRuntime* rt = state->runtime;
    for (int k = 0; k < state->nattrs; ++k) {
        const WooColumn* col = &state->table->columns[state->attrs[k] - 1];
        if (col->source != wcfdw::ColumnSource::TermFilter && col->source != wcfdw::ColumnSource::QueryParam)
            continue;
        std::vector<std::int64_t> ids;
        for (int i = 0; i < state->nconditions; ++i) {
            const FilterValues& fv = state->values[i];
            if (!fv.known || strcmp(fv.field, col->field) != 0) continue;
            if (col->source == wcfdw::ColumnSource::QueryParam) {
                if (fv.nvalues == 1) rt->converter->set_param_value(static_cast<std::size_t>(k), fv.values[0]);
                continue;
            }
            for (int v = 0; v < fv.nvalues; ++v) ids.push_back(std::strtoll(fv.values[v], nullptr, 10));
        }
        if (col->source == wcfdw::ColumnSource::TermFilter)
            rt->converter->set_term_filter(static_cast<std::size_t>(k), std::move(ids));
    }
}

void start_cursor(ForeignScanState* node, WooScanState* state) {
    evaluate_values(node, state, false);
    const auto deadline = statement_deadline();
    PendingError pending;
    if (!run_cpp(pending, [&] {
            ScanRuntime* rt = state->runtime;
            if (!rt->client) rt->client = store_client_for(state->link);
            DeadlineScope scope(*rt->client, deadline);
            wcfdw::ScanPlan plan = build_scan_plan(state->table, state->values, state->nconditions, state->fields,
                                                   state->nfields, state->limit);
            set_term_filters(state);
            rt->cursor = std::make_unique<wcfdw::ScanCursor>(*rt->client, std::move(plan));
        }))
        raise_pending_error(pending);
}

wcfdw::ScanStats total_stats(const ScanRuntime* rt) {
    wcfdw::ScanStats s = rt->done;
    if (rt->cursor) {
        s.requests += rt->cursor->stats().requests;
        s.retries += rt->cursor->stats().retries;
        s.bytes += rt->cursor->stats().bytes;
        s.pages += rt->cursor->stats().pages;
    }
    return s;
}

Datum cell_datum(WooScanState* state, int k, const wcfdw::Cell& cell, bool* isnull) {
    const WooColumn* col = &state->table->columns[state->attrs[k] - 1];
    return cell_to_datum(col, cell, &state->in_funcs[k], state->ioparams[k], isnull, state->table->resource->item_noun,
                         state->runtime->current_id, &state->error_column);
}

}  // namespace

void begin_scan(ForeignScanState* node, int eflags) {
    ForeignScan* fsplan = reinterpret_cast<ForeignScan*>(node->ss.ps.plan);
    EState* estate = node->ss.ps.state;
    const bool explain_only = (eflags & EXEC_FLAG_EXPLAIN_ONLY) != 0;
    WooScanState* state = static_cast<WooScanState*>(palloc0(sizeof(WooScanState)));
    node->fdw_state = state;

    List* priv = fsplan->fdw_private;
    state->table = load_woo_table(static_cast<Oid>(intVal(list_nth(priv, FdwPrivateRelid))));
    List* attrs = static_cast<List*>(list_nth(priv, FdwPrivateAttrs));
    state->conditions = static_cast<List*>(list_nth(priv, FdwPrivateConditions));
    List* fields = static_cast<List*>(list_nth(priv, FdwPrivateFields));
    state->limit = intVal(list_nth(priv, FdwPrivateLimit));
    state->count_mode = intVal(list_nth(priv, FdwPrivateCount)) != 0;
    state->nconditions = list_length(state->conditions);
    state->values = static_cast<FilterValues*>(palloc0(sizeof(FilterValues) * (state->nconditions + 1)));
    state->nfields = list_length(fields);
    state->fields = static_cast<const char**>(palloc(sizeof(char*) * (state->nfields + 1)));
    ListCell* lc;
    int i = 0;
    foreach (lc, fields) state->fields[i++] = strVal(lfirst(lc));
    state->nattrs = list_length(attrs);
    state->attrs = static_cast<AttrNumber*>(palloc(sizeof(AttrNumber) * (state->nattrs + 1)));
    state->in_funcs = static_cast<FmgrInfo*>(palloc0(sizeof(FmgrInfo) * (state->nattrs + 1)));
    state->ioparams = static_cast<Oid*>(palloc(sizeof(Oid) * (state->nattrs + 1)));
    i = 0;
    foreach (lc, attrs) {
        const AttrNumber attnum = static_cast<AttrNumber>(lfirst_int(lc));
        state->attrs[i] = attnum;
        Oid input;
        getTypeInputInfo(state->table->columns[attnum - 1].type, &input, &state->ioparams[i]);
        fmgr_info(input, &state->in_funcs[i]);
        ++i;
    }
    state->value_states = ExecInitExprList(fsplan->fdw_exprs, reinterpret_cast<PlanState*>(node));
    state->values_cxt = AllocSetContextCreate(estate->es_query_cxt, "woocommerce_fdw scan values", ALLOCSET_SMALL_SIZES);

    // Whose keys: the role the table is accessed as (a view's owner, say).
    const int rtindex = fsplan->scan.scanrelid > 0 ? fsplan->scan.scanrelid : bms_next_member(fsplan->fs_relids, -1);
    const Oid userid = compat::scan_check_as_user(fsplan, estate, rtindex);
    if (!explain_only) {
        state->link = lookup_store_link(state->table->serverid, userid);
        state->have_link = true;
    }
    ForeignServer* server = GetForeignServer(state->table->serverid);
    const FlatOptions server_options = flatten_options(server->options);
    const char* url = flat_option(server_options, "url", "");
    const char* api_prefix = flat_option(server_options, "api_prefix", "wp-json");
    const char* api_version = flat_option(server_options, "api_version", "wc/v3");
    const int concurrency = atoi(flat_option(server_options, "concurrency", "4"));

    // The requests for EXPLAIN, planned from what is known now.
    evaluate_values(node, state, true);

    PendingError pending;
    if (!run_cpp(pending, [&] {
            auto rt = std::make_unique<ScanRuntime>();
            std::vector<wcfdw::ColumnSpec> columns;
            for (int k = 0; k < state->nattrs; ++k) {
                const WooColumn* col = &state->table->columns[state->attrs[k] - 1];
                columns.push_back({col->name_utf8, col->kind, col->field, col->source});
            }
            rt->converter = std::make_unique<wcfdw::RowConverter>(state->table->relname_utf8, *state->table->resource,
                                                                  std::move(columns));
            wcfdw::ScanPlan plan = build_scan_plan(state->table, state->values, state->nconditions, state->fields,
                                                   state->nfields, state->limit);
            std::string base;
            try {
                base = wcfdw::parse_url(url).path;
            } catch (const wcfdw::WooError&) {
                base.clear();
            }
            while (!base.empty() && base.back() == '/') base.pop_back();
            base += "/" + std::string(api_prefix) + "/" + api_version;
            rt->explain_lines =
                wcfdw::describe_plan(plan, base, concurrency > 0 ? concurrency : 4, state->count_mode);
            state->runtime = rt.release();
        }))
        raise_pending_error(pending);
    state->cleanup.func = free_runtime;
    state->cleanup.arg = state;
    MemoryContextRegisterResetCallback(estate->es_query_cxt, &state->cleanup);
}

TupleTableSlot* iterate_scan(ForeignScanState* node) {
    WooScanState* state = static_cast<WooScanState*>(node->fdw_state);
    TupleTableSlot* slot = node->ss.ss_ScanTupleSlot;
    ExecClearTuple(slot);
    if (!state->runtime->cursor) start_cursor(node, state);
    // This statement's: a cursor's later FETCH is another statement.
    const auto deadline = statement_deadline();

    if (state->count_mode) {
        if (state->count_done) return slot;
        std::int64_t count = 0;
        PendingError pending;
        if (!run_cpp(pending, [&] {
                DeadlineScope scope(*state->runtime->client, deadline);
                count = state->runtime->cursor->count();
            }))
            raise_pending_error(pending);
        state->count_done = true;
        for (int a = 0; a < slot->tts_tupleDescriptor->natts; ++a) {
            slot->tts_values[a] = Int64GetDatum(count);
            slot->tts_isnull[a] = false;
        }
        return ExecStoreVirtualTuple(slot);
    }

    bool have = false;
    PendingError pending;
    if (!run_cpp(pending, [&] {
            ScanRuntime* rt = state->runtime;
            DeadlineScope scope(*rt->client, deadline);
            std::string parent;
            const nlohmann::json* object = rt->cursor->next(parent);
            if (!object) return;
            have = true;
            // Only the id per row: the context message is built on error.
            const auto id = object->find("id");
            rt->current_id = id != object->end() && id->is_number_integer() ? id->get<std::int64_t>() : 0;
            rt->converter->convert(*object, parent, rt->cells, &rt->cursor->unrepresentable());
        }))
        raise_pending_error(pending);
    if (!have) return slot;

    const int natts = slot->tts_tupleDescriptor->natts;
    for (int a = 0; a < natts; ++a) slot->tts_isnull[a] = true;
    ErrorContextCallback context;
    context.callback = conversion_context;
    context.arg = state;
    context.previous = error_context_stack;
    error_context_stack = &context;
    for (int k = 0; k < state->nattrs; ++k) {
        const int a = state->attrs[k] - 1;
        slot->tts_values[a] = cell_datum(state, k, state->runtime->cells[k], &slot->tts_isnull[a]);
    }
    error_context_stack = context.previous;
    return ExecStoreVirtualTuple(slot);
}

void rescan(ForeignScanState* node) {
    WooScanState* state = static_cast<WooScanState*>(node->fdw_state);
    if (!state->runtime || !state->runtime->cursor) return;
    PendingError pending;
    if (!run_cpp(pending, [&] {
            ScanRuntime* rt = state->runtime;
            rt->done = total_stats(rt);
            rt->cursor.reset();
        }))
        raise_pending_error(pending);
    state->count_done = false;
}

void end_scan(ForeignScanState* node) {
    WooScanState* state = static_cast<WooScanState*>(node->fdw_state);
    if (state) free_runtime(state);
}

void explain_scan(ForeignScanState* node, ExplainState* es) {
    WooScanState* state = static_cast<WooScanState*>(node->fdw_state);
    if (!state || !state->runtime) return;
    ScanRuntime* rt = state->runtime;
    List* lines = NIL;
    // The lines quote filter values, which are UTF-8.
    for (const auto& line : rt->explain_lines)
        lines = lappend(lines, const_cast<char*>(store_message_to_server(redact_cstr(line.c_str()))));
    ExplainPropertyText("WooCommerce Resource", state->table->resource->name, es);
    ExplainPropertyList("WooCommerce Requests", lines, es);
    if (es->analyze) {
        const wcfdw::ScanStats s = total_stats(rt);
        ExplainPropertyInteger("Store Requests", NULL, static_cast<int64>(s.requests), es);
        ExplainPropertyInteger("Store Retries", NULL, static_cast<int64>(s.retries), es);
        ExplainPropertyInteger("Store Bytes Received", "bytes", static_cast<int64>(s.bytes), es);
    }
}

}  // namespace wcfdw::pg
