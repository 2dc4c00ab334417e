// The executor-side state of one write into a woocommerce_fdw foreign
// table, shared by the paths that set it up: BeginForeignModify (INSERT,
// UPDATE, DELETE planned on the table) and BeginForeignInsert (COPY FROM,
// rows routed into a foreign partition). The C++ side (client, writer,
// payload builder, converter, rows waiting for a batch) lives in one heap
// object freed at the end of the statement, or by a reset callback on the
// query's memory context when the statement fails.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/scan/row_converter.hpp"
#include "core/write/store_writer.hpp"
#include "core/write/write_payload.hpp"
#include "pg/foreign_table.hpp"
#include "pg/store_cache.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

// Rows built and checked, waiting to be sent as one batch request (COPY
// FROM on PostgreSQL versions whose COPY hands foreign tables one row at a
// time).
struct PendingCreates {
    std::vector<nlohmann::json> bodies;
    std::vector<std::int64_t> parents;
    std::vector<std::string> labels;
    void clear() {
        bodies.clear();
        parents.clear();
        labels.clear();
    }
};

struct ModifyRuntime {
    std::shared_ptr<wcfdw::StoreClient> client;
    std::unique_ptr<wcfdw::StoreWriter> writer;
    std::unique_ptr<wcfdw::PayloadBuilder> builder;
    std::unique_ptr<wcfdw::RowConverter> converter;  // every column, for RETURNING
    std::vector<wcfdw::Cell> cells;
    std::set<std::string> skus;  // SKUs this statement created
    PendingCreates pending;
    std::int64_t current_id = 0;  // the object being converted, for error context
};

// Plain data, palloc'd in the query's memory context.
struct WooModifyState {
    ModifyRuntime* runtime;
    MemoryContextCallback cleanup;
    WooTable* table;
    StoreLink link;
    CmdType operation;
    bool fill_returned;  // RETURNING or AFTER ROW triggers read the store's answer
    bool buffered;       // COPY's rows wait in runtime->pending until a batch is full
    // Created rows wait in runtime->pending until this many are there (or
    // the statement ends), then go as concurrency batch requests at once:
    // PostgreSQL hands batches over one at a time and waits for each.
    // 0: each batch is sent when PostgreSQL hands it over.
    int pipeline_rows;
    int concurrency;     // the server's concurrency option
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
    // Rows the store did not keep as written: WARNINGs for the first
    // kShownWarnings of a statement, then one count at its end.
    int warnings_staged;
    const char* warning_messages[16];
    const char* warning_details[16];
    int64 warnings_seen;
};

constexpr int kShownWarnings = 10;

// One column value as plain C data, read from a slot.
struct PlainValue {
    int kind;  // wcfdw::WriteValue::Kind
    int64 i;
    bool b;
    const char* text;
};

// Reads the catalogs, prepares conversions and creates the C++ runtime for
// a write of `operation` to the columns `target_attrs` (attnums) of
// `rinfo`'s foreign table, as role `userid`. Stored in rinfo->ri_FdwState.
// Plain C frame; raises.
WooModifyState* create_modify_state(EState* estate, ResultRelInfo* rinfo, CmdType operation, List* target_attrs,
                                     bool fill_returned, Oid userid);

// The role whose user mapping a write uses: the one the statement checks
// permissions as (a view's owner, say), also for partitions PostgreSQL
// opened only to route rows into.
Oid modify_user(ResultRelInfo* rinfo, EState* estate);

// The table option batch_size, else the server's, else 100.
int option_batch_size(const WooTable* table);

// Would PostgreSQL, or we, send this relation's inserts in batches? Not
// when each row's result is needed: RETURNING, WITH CHECK OPTION, row
// triggers.
bool inserts_can_batch(const ResultRelInfo* rinfo);

// 0A000 with a hint when WooCommerce does not take this write on the
// table's resource (reports, a DELETE to the trash of a resource without
// one...). Plain C frame.
void refuse_unsupported_write(const WooTable* table, CmdType operation);

// 0A000 for INSERT ... ON CONFLICT: WooCommerce has no such thing.
void refuse_on_conflict(const char* relname);

// Frees the C++ runtime (idempotent, never raises).
void free_modify_runtime(WooModifyState* state);

// The state set up by our Begin callback; 0A000 when PostgreSQL reached a
// write callback on a path that never called one.
WooModifyState* modify_state_of(ResultRelInfo* rinfo);

// The target columns' values of one slot, text as UTF-8. Errors name the
// row as `row_noun` `row_id` ("row 3", "product 42"). Plain C frame.
PlainValue* read_values(WooModifyState* state, TupleTableSlot* slot, const char* row_noun, int64 row_id);
std::vector<wcfdw::WriteValue> to_write_values(const WooModifyState* state, const PlainValue* plain);

// The JSON body of one row (PayloadBuilder::build); when the row is refused
// after the statement already changed the store, the error says what.
nlohmann::json build_row(ModifyRuntime* rt, const std::vector<wcfdw::WriteValue>& values, const std::string& label,
                         bool skip_nulls);

// Sends the created rows waiting in runtime->pending (batch_size rows per
// request, concurrency requests in flight) and reports the store's
// warnings. Plain C frame; raises.
void send_pending_creates(WooModifyState* state);

// Whether created rows may wait for the end of the statement: not when a
// statement-level AFTER INSERT trigger (of the table, or of the table rows
// are routed from) runs before our End callback and must see them created.
bool creates_may_wait(const ResultRelInfo* rinfo);

// A SKU twice in one statement would fail in the store after the first one
// was created: refuse before sending.
void check_duplicate_sku(ModifyRuntime* rt, const nlohmann::json& body, const std::string& label);

// The store's answer for one row, converted to cells (C++ side).
// `parent`: the parent's key ("" when none).
void convert_returned(WooModifyState* state, const nlohmann::json& object, const std::string& parent);

// Copies the writer's warnings into the state as palloc'd text (C++ side,
// inside run_cpp).
void stage_warnings(WooModifyState* state);

// Reports the staged warnings. Plain C frame.
void emit_warnings(WooModifyState* state);

// At the end of a statement: one WARNING counting the rows whose warnings
// were not shown. Plain C frame.
void report_hidden_warnings(const WooModifyState* state);

// Fills `slot` with the cells convert_returned produced. Plain C frame.
void store_returned_row(WooModifyState* state, TupleTableSlot* slot);

}  // namespace wcfdw::pg
