// The sync engine's entry point: woocommerce._sync_request(server, operation,
// request) runs one export, import or delete conversation with a store
// (src/core/sync_engine) and answers with JSON. The SQL functions of
// src/sql/sync.sql read the local rows, call it, and write the results back;
// this file only connects the core to the server's options, the current
// role's user mapping, interrupts and NOTICE progress.
#include <string>

#include "core/woo/options.hpp"
#include "core/woo/store_client.hpp"
#include "core/sync/sync_engine.hpp"

#include "pg/error_bridge.hpp"
#include "pg/interrupts.hpp"
#include "pg/json_answer.hpp"
#include "pg/option_lists.hpp"
#include "pg/text_encoding.hpp"
#include "pg/postgres_headers.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/acl.h"
#include "utils/guc.h"
#include "utils/memutils.h"
}

extern "C" {
PG_FUNCTION_INFO_V1(woocommerce_sync_request);
void wcfdw_define_sync_settings(void);
}

namespace {

// woocommerce.sync_progress: NOTICE per batch or round of pages.
bool sync_progress = true;

// woocommerce.sync_chunk_rows: rows an export hands to the engine at once
// (0: two rounds of batch_size x concurrency). Read by the SQL side
// (woocommerce._export_chunk_rows); defined here so that it is checked.
int sync_chunk_rows = 0;
// woocommerce.import_round_pages: pages an import writes at a time (0: as
// many as the connection's concurrency); woocommerce.import_page_size:
// products per page (100; fewer only to test rounds with few products).
int import_round_pages = 0;
int import_page_size = 100;

// Advisory lock key space of a connection's syncs (pg_locks.classid; the
// objid is the foreign server's oid). src/sql/1.2/10_hardening.sql uses the
// next value for writes to an owner's local catalog.
constexpr int32 kSyncLockSpace = 1464029766;

// Syncs of one connection take turns: two exports, imports or deletes of
// the same store at once would send the same changes twice and write the
// same product_sync rows in different orders. The lock is held to the end
// of the transaction (so it covers the local writes after the
// conversation); a waiting sync says so, and lock_timeout bounds the wait.
void lock_connection_sync(const ForeignServer* server) {
    const Datum space = Int32GetDatum(kSyncLockSpace);
    const Datum key = Int32GetDatum(static_cast<int32>(server->serverid));
    if (DatumGetBool(DirectFunctionCall2(pg_try_advisory_xact_lock_int4, space, key))) return;
    ereport(NOTICE, (errmsg("waiting for another sync of WooCommerce server \"%s\" to finish", server->servername),
                     errdetail("Syncs of one connection run one at a time; this one starts when the other one's "
                               "transaction ends."),
                     errhint("SET lock_timeout to give up after a while instead (SQLSTATE 55P03).")));
    DirectFunctionCall2(pg_advisory_xact_lock_int4, space, key);
}

// The request's JSON text (SQL json: the database encoding) as UTF-8.
const char* request_as_utf8(const char* request_text, const char* operation) {
    int len;
    return wcfdw::pg::server_text_to_store(
        request_text, static_cast<int>(strlen(request_text)), &len,
        wcfdw::pg::TextOrigin{psprintf("the %s request of woocommerce._sync_request", operation), nullptr, 0});
}

// One round of an import's rows written by SQL
// (woocommerce._import_round(state, rows)), in a memory context of its own.
// A plain C frame, called through pg_call: an error unwinds the C++ side
// (the transfers in flight are dropped) and is raised again at the end.
void write_import_round(const char* state, const char* rows_utf8, size_t rows_len, const char* what) {
    MemoryContext round = AllocSetContextCreate(CurrentMemoryContext, "woocommerce import round", ALLOCSET_DEFAULT_SIZES);
    MemoryContext old = MemoryContextSwitchTo(round);
    char* rows = static_cast<char*>(palloc(rows_len + 1));
    memcpy(rows, rows_utf8, rows_len);
    rows[rows_len] = '\0';
    Datum args[2] = {CStringGetTextDatum(state),
                     CStringGetTextDatum(wcfdw::pg::json_answer_to_server(rows, what, false))};
    Oid types[2] = {TEXTOID, TEXTOID};
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    const int rc = SPI_execute_with_args("SELECT woocommerce._import_round($1::jsonb, $2::jsonb->'rows')", 2, types,
                                         args, nullptr, false, 0);
    if (rc != SPI_OK_SELECT) elog(ERROR, "woocommerce._import_round failed (SPI result %d)", rc);
    SPI_finish();
    MemoryContextSwitchTo(old);
    MemoryContextDelete(round);
}

char* run_sync_request(const char* operation, const char* url, const char* key, const char* secret,
                       const wcfdw::pg::FlatOptions* server_options, const char* request_text, bool progress_on,
                       const char* answer_name) {
    const auto deadline = wcfdw::pg::statement_deadline();
    char* result = nullptr;
    wcfdw::pg::PendingError pending;
    if (!wcfdw::pg::run_cpp(pending, [&] {
            const std::string op = operation;
            const nlohmann::json request = nlohmann::json::parse(request_text);
            if (op == "forget") {
                wcfdw::sync::forget_store_terms(request.value("connection_id", static_cast<std::int64_t>(0)));
                result = wcfdw::pg::pstrdup_guarded("{}");
                return;
            }
            wcfdw::OptionList options;
            for (int i = 0; i < server_options->count; ++i)
                options.emplace_back(server_options->names[i], server_options->values[i]);
            const wcfdw::Credentials credentials{key, secret};
            wcfdw::pg::remember_credentials(credentials);
            wcfdw::StoreClient client(wcfdw::store_config_from_options(url, options, credentials));
            client.http().set_cancel_hook(wcfdw::pg::interrupt_pending);
            client.http().set_deadline(deadline);
            const wcfdw::sync::ProgressFn progress = [&](const std::string& message) {
                if (progress_on) wcfdw::pg::notice_from_core(message);
            };
            // An import with a round_state writes its rows a round at a
            // time through SQL while the next pages are in flight.
            wcfdw::sync::WriteRoundFn write_round;
            std::string round_state;
            nlohmann::json import_request;
            if (op == "import" && request.contains("round_state")) {
                round_state = request["round_state"].dump();
                write_round = [&](nlohmann::json&& rows) {
                    // {"rows": [...]}: an encoding error names rows[i], as before
                    nlohmann::json wrapped = nlohmann::json::object();
                    wrapped["rows"] = std::move(rows);
                    const std::string text = wrapped.dump();
                    wrapped = nlohmann::json();  // freed before SQL works on the copy
                    wcfdw::pg::pg_call(write_import_round, round_state.c_str(), text.c_str(), text.size(), answer_name);
                };
                import_request = request;
                if (!import_request.contains("round_pages")) import_request["round_pages"] = import_round_pages;
                if (!import_request.contains("page_size")) import_request["page_size"] = import_page_size;
            }
            nlohmann::json answer;
            if (op == "export") answer = wcfdw::sync::run_export(client, request, progress);
            else if (op == "import" && write_round) answer = wcfdw::sync::run_import(client, import_request, progress, write_round);
            else if (op == "import") answer = wcfdw::sync::run_import(client, request, progress);
            else if (op == "delete") answer = wcfdw::sync::run_delete(client, request);
            else throw wcfdw::WooError(wcfdw::ErrorKind::InvalidArgument, "unknown sync operation \"" + op + "\"");
            result = wcfdw::pg::pstrdup_guarded(answer.dump());
        }))
        wcfdw::pg::raise_pending_error(pending);
    return result;
}

}  // namespace

void wcfdw_define_sync_settings(void) {
    DefineCustomBoolVariable("woocommerce.sync_progress",
                             "Report the progress of exports and imports as NOTICEs (one per batch or round of pages).",
                             "Set it to off to silence them; warnings and errors are not affected.", &sync_progress,
                             true, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("woocommerce.sync_chunk_rows",
                            "Rows an export reads, sends and records at once (0: two rounds of batch_size x concurrency).",
                            "A chunk's values, requests and answers are in memory together; smaller chunks use less "
                            "memory, larger ones wait less between chunks.",
                            &sync_chunk_rows, 0, 0, 1000000, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("woocommerce.import_round_pages",
                            "Pages of products an import writes at a time, while the next pages are read.",
                            "0 (the default): as many as the connection's concurrency. Memory holds one round.",
                            &import_round_pages, 0, 0, 1000, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("woocommerce.import_page_size",
                            "Products per page an import asks the store for (WooCommerce's maximum is 100).",
                            "Lower it only to test imports of several pages and rounds with few products.",
                            &import_page_size, 100, 1, 100, PGC_USERSET, 0, nullptr, nullptr, nullptr);
}

extern "C" Datum woocommerce_sync_request(PG_FUNCTION_ARGS) {
    const char* server_name = NameStr(*PG_GETARG_NAME(0));
    const char* operation = text_to_cstring(PG_GETARG_TEXT_PP(1));
    const char* request_text = request_as_utf8(text_to_cstring(PG_GETARG_TEXT_PP(2)), operation);  // json: its text
    if (strcmp(operation, "forget") == 0) {
        char* done = run_sync_request(operation, "", "", "", nullptr, request_text, false, "");
        PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(done)));
    }
    ForeignServer* server = wcfdw::pg::woocommerce_server(server_name);
    // The server is named by the caller: using it takes USAGE on it, as
    // creating a foreign table or user mapping on it would.
    const AclResult acl = wcfdw::pg::compat::foreign_server_aclcheck(server->serverid, GetUserId(), ACL_USAGE);
    if (acl != ACLCHECK_OK) aclcheck_error(acl, OBJECT_FOREIGN_SERVER, server->servername);
    UserMapping* mapping = GetUserMapping(GetUserId(), server->serverid);
    const wcfdw::pg::FlatOptions server_options = wcfdw::pg::flatten_options(server->options);
    const wcfdw::pg::FlatOptions mapping_options = wcfdw::pg::flatten_options(mapping->options);
    const char* url = wcfdw::pg::flat_option(server_options, "url", "");
    const char* key = wcfdw::pg::flat_option(mapping_options, "consumer_key", "");
    const char* secret = wcfdw::pg::flat_option(mapping_options, "consumer_secret", "");
    lock_connection_sync(server);
    const char* answer_name = psprintf("the %s answer of WooCommerce server \"%s\"", operation, server->servername);
    char* result =
        run_sync_request(operation, url, key, secret, &server_options, request_text, sync_progress, answer_name);
    const char* answer = wcfdw::pg::json_answer_to_server(result, answer_name, false);
    PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(answer)));
}
