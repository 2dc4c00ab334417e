#include "pg/modify_state.hpp"

#include "pg/cell_datum.hpp"
#include "pg/error_bridge.hpp"
#include "pg/interrupts.hpp"
#include "pg/text_encoding.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

namespace {

void free_runtime_callback(void* arg) {
    free_modify_runtime(static_cast<WooModifyState*>(arg));
}

void conversion_context(void* arg) {
    WooModifyState* state = static_cast<WooModifyState*>(arg);
    if (!state->error_column) return;
    // Text keys (settings, gateways) have no number to name the object by.
    if (state->table->resource->key_type != wcfdw::KeyType::Integer) {
        errcontext("column \"%s\" of foreign table \"%s\", the %s returned by the store", state->error_column,
                   state->table->relname, state->table->resource->item_noun);
        return;
    }
    errcontext("column \"%s\" of foreign table \"%s\", %s " INT64_FORMAT " returned by the store",
               state->error_column, state->table->relname, state->table->resource->item_noun,
               state->runtime ? static_cast<int64>(state->runtime->current_id) : 0);
}

// Output functions for the written columns, input functions for every
// column (RETURNING rows). Plain C frame.
void prepare_conversions(WooModifyState* state, List* target_attrs) {
    const WooTable* table = state->table;
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
        getTypeOutputInfo(table->columns[attnum - 1].type, &output, &varlena);
        fmgr_info(output, &state->out_funcs[k]);
        ++k;
    }
    state->all_attrs = static_cast<AttrNumber*>(palloc(sizeof(AttrNumber) * (table->natts + 1)));
    state->in_funcs = static_cast<FmgrInfo*>(palloc0(sizeof(FmgrInfo) * (table->natts + 1)));
    state->ioparams = static_cast<Oid*>(palloc(sizeof(Oid) * (table->natts + 1)));
    for (int i = 0; i < table->natts; ++i) {
        if (table->columns[i].dropped) continue;
        state->all_attrs[state->nall] = i + 1;
        Oid input;
        getTypeInputInfo(table->columns[i].type, &input, &state->ioparams[state->nall]);
        fmgr_info(input, &state->in_funcs[state->nall]);
        ++state->nall;
    }
}

void create_runtime(WooModifyState* state) {
    PendingError pending;
    if (!run_cpp(pending, [&] {
            const WooTable* table = state->table;
            auto rt = std::make_unique<ModifyRuntime>();
            rt->client = store_client_for(state->link);
            rt->writer = std::make_unique<wcfdw::StoreWriter>(*rt->client, *table->resource, table->relname_utf8,
                                                              table->trash);
            std::vector<wcfdw::WriteColumn> targets;
            for (int t = 0; t < state->ntarget; ++t) {
                const WooColumn* col = &table->columns[state->target_attrs[t] - 1];
                targets.push_back({col->name_utf8, col->kind, col->field, col->source});
            }
            rt->builder = std::make_unique<wcfdw::PayloadBuilder>(table->relname_utf8, *table->resource, std::move(targets));
            if (state->operation == CMD_UPDATE) rt->builder->check_writable();
            std::vector<wcfdw::ColumnSpec> all;
            for (int a = 0; a < state->nall; ++a) {
                const WooColumn* col = &table->columns[state->all_attrs[a] - 1];
                all.push_back({col->name_utf8, col->kind, col->field, col->source});
            }
            rt->converter = std::make_unique<wcfdw::RowConverter>(table->relname_utf8, *table->resource, std::move(all));
            state->concurrency = std::max(1, rt->client->config().transport.concurrency);
            state->runtime = rt.release();
        }))
        raise_pending_error(pending);
}

}  // namespace

WooModifyState* create_modify_state(EState* estate, ResultRelInfo* rinfo, CmdType operation, List* target_attrs,
                                     bool fill_returned, Oid userid) {
    // The state must live as long as the statement, whatever context the
    // caller runs in (COPY calls us from its own).
    MemoryContext old = MemoryContextSwitchTo(estate->es_query_cxt);
    WooModifyState* state = static_cast<WooModifyState*>(palloc0(sizeof(WooModifyState)));
    state->operation = operation;
    state->fill_returned = fill_returned;
    state->table = load_woo_table(RelationGetRelid(rinfo->ri_RelationDesc));
    state->link = lookup_store_link(state->table->serverid, userid);
    state->batch_size = option_batch_size(state->table);
    prepare_conversions(state, target_attrs);
    create_runtime(state);
    // Registered once the runtime exists; the callback frees it when the
    // statement ends without our End callback (an error, a cancel).
    state->cleanup.func = free_runtime_callback;
    state->cleanup.arg = state;
    MemoryContextRegisterResetCallback(estate->es_query_cxt, &state->cleanup);
    MemoryContextSwitchTo(old);
    rinfo->ri_FdwState = state;
    return state;
}

Oid modify_user(ResultRelInfo* rinfo, EState* estate) { return compat::modify_check_as_user(rinfo, estate); }

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

bool inserts_can_batch(const ResultRelInfo* rinfo) {
    const TriggerDesc* trig = rinfo->ri_TrigDesc;
    return !rinfo->ri_projectReturning && !rinfo->ri_WithCheckOptions &&
           !(trig && (trig->trig_insert_before_row || trig->trig_insert_after_row || trig->trig_insert_instead_row));
}

void refuse_unsupported_write(const WooTable* table, CmdType operation) {
    const wcfdw::WriteOp op = operation == CMD_INSERT   ? wcfdw::WriteOp::Insert
                              : operation == CMD_UPDATE ? wcfdw::WriteOp::Update
                                                        : wcfdw::WriteOp::Delete;
    PendingError pending;
    if (!run_cpp(pending,
                 [&] { wcfdw::check_write_allowed(*table->resource, table->relname_utf8, op, table->trash); }))
        raise_pending_error(pending);
}

void refuse_on_conflict(const char* relname) {
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("INSERT ... ON CONFLICT is not supported on WooCommerce foreign table \"%s\"", relname),
                    errhint("WooCommerce refuses a duplicate SKU itself (23505); "
                            "woocommerce.export_products creates or updates products by SKU.")));
}

void free_modify_runtime(WooModifyState* state) {
    if (state) delete_quietly(state->runtime);
}

WooModifyState* modify_state_of(ResultRelInfo* rinfo) {
    WooModifyState* state = static_cast<WooModifyState*>(rinfo->ri_FdwState);
    if (!state || !state->runtime)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("woocommerce_fdw does not support this way of writing to foreign table \"%s\"",
                               RelationGetRelationName(rinfo->ri_RelationDesc)),
                        errhint("Write to the foreign table with INSERT, UPDATE, DELETE or COPY FROM.")));
    return state;
}

PlainValue* read_values(WooModifyState* state, TupleTableSlot* slot, const char* row_noun, int64 row_id) {
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
        default: {
            v->kind = wcfdw::WriteValue::Text;
            const char* text = OutputFunctionCall(&state->out_funcs[k], d);
            int len;
            v->text = server_text_to_store(text, static_cast<int>(strlen(text)), &len,
                                           TextOrigin{col->place, row_noun, row_id});
            break;
        }
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

nlohmann::json build_row(ModifyRuntime* rt, const std::vector<wcfdw::WriteValue>& values, const std::string& label,
                         bool skip_nulls) {
    try {
        return rt->builder->build(values, label, skip_nulls);
    } catch (const wcfdw::WooError& e) {
        const std::string applied = rt->writer->applied();
        if (applied == "nothing") throw;
        wcfdw::WooError reported(e);
        reported.with_detail(e.detail() + (e.detail().empty() ? "" : "\n") +
                             "Already applied in the store by this statement: " + applied +
                             ". ROLLBACK does not undo changes in WooCommerce.");
        throw reported;
    }
}

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

void convert_returned(WooModifyState* state, const nlohmann::json& object, const std::string& parent) {
    ModifyRuntime* rt = state->runtime;
    const auto id = object.find("id");
    rt->current_id = id != object.end() && id->is_number_integer() ? id->get<std::int64_t>() : 0;
    rt->converter->convert(object, parent, rt->cells, &rt->writer->last_unrepresentable());
}

void stage_warnings(WooModifyState* state) {
    for (const auto& w : state->runtime->writer->take_warnings()) {
        if (++state->warnings_seen > kShownWarnings || state->warnings_staged >= 16) continue;
        state->warning_messages[state->warnings_staged] = pstrdup_guarded(w.message);
        state->warning_details[state->warnings_staged] = pstrdup_guarded(w.detail);
        ++state->warnings_staged;
    }
}

void emit_warnings(WooModifyState* state) {
    for (int i = 0; i < state->warnings_staged; ++i)
        ereport(WARNING, (errcode(ERRCODE_WARNING), errmsg("%s", store_message_to_server(state->warning_messages[i])),
                          errdetail("%s", store_message_to_server(state->warning_details[i])),
                          errhint("RETURNING or a new SELECT shows the row as the store keeps it.")));
    state->warnings_staged = 0;
}

void report_hidden_warnings(const WooModifyState* state) {
    if (state->warnings_seen > kShownWarnings)
        ereport(WARNING,
                (errcode(ERRCODE_WARNING),
                 errmsg("the store did not keep every value written to " INT64_FORMAT " more rows of foreign table \"%s\"",
                        state->warnings_seen - kShownWarnings, state->table->relname),
                 errdetail("Warnings are shown for the first %d rows of a statement.", kShownWarnings)));
}

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
        slot->tts_values[a] = cell_to_datum(col, state->runtime->cells[k], &state->in_funcs[k], state->ioparams[k],
                                            &slot->tts_isnull[a], state->table->resource->item_noun,
                                            state->runtime->current_id, &state->error_column);
    }
    state->error_column = nullptr;
    error_context_stack = context.previous;
    ExecStoreVirtualTuple(slot);
}

}  // namespace wcfdw::pg
