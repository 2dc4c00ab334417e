// woocommerce.receive_auth_callback(headers, body): the key WooCommerce posts
// to an authorize_url's callback_url (src/sql/1.2/52_key_setup.sql).
//
// A SECURITY DEFINER C function, so that the secret never becomes a SQL
// value: the body is parsed here (core/webhook/auth_callback), the state
// token is looked up by its hash as the extension's owner, the key is
// verified against the store (core test_store_connection, like
// create_connection does), and the connection row and the user mapping are
// made as the role that called authorize_url, the mapping through
// PostgreSQL's CreateUserMapping/AlterUserMapping with the key in parse
// nodes. Any failure leaves only the request's outcome behind, and answers
// something other than 200, so WooCommerce deletes the key it just made.
#include <cstring>
#include <string>

#include "core/webhook/auth_callback.hpp"
#include "core/woo/connection_test.hpp"
#include "core/woo/options.hpp"

#include "pg/error_bridge.hpp"
#include "pg/interrupts.hpp"
#include "pg/postgres_headers.hpp"

extern "C" {
#include "access/xact.h"
#include "executor/spi.h"
#include "utils/json.h"
#include "utils/resowner.h"
}

extern "C" {
PG_FUNCTION_INFO_V1(woocommerce_receive_auth_callback);
}

namespace {

// The parsed callback as plain data; the secret is wiped by wipe().
struct Callback {
    char* token_hash = nullptr;
    char* consumer_key = nullptr;
    char* consumer_secret = nullptr;
    char* permissions = nullptr;
    char error[512] = {0};
};

// The flow this callback belongs to.
struct FlowRequest {
    int64 id = 0;
    Oid owner = InvalidOid;
    char* store_url = nullptr;
    char* store_name = nullptr;
    char* scope = nullptr;
    char* options = nullptr;   // JSON text
    bool expired = false;
    bool used = false;
};

void wipe(Callback& c) {
    if (c.consumer_secret) explicit_bzero(c.consumer_secret, strlen(c.consumer_secret));
}

Datum answer(int status, const char* outcome, const char* reason, const char* message, int64 connection_id = 0) {
    StringInfoData json;
    initStringInfo(&json);
    appendStringInfo(&json, "{\"status\": %d, \"outcome\": ", status);
    escape_json(&json, outcome);
    if (reason) {
        appendStringInfoString(&json, ", \"reason\": ");
        escape_json(&json, reason);
    }
    if (message) {
        appendStringInfoString(&json, ", \"message\": ");
        escape_json(&json, message);
    }
    if (connection_id > 0) appendStringInfo(&json, ", \"connection_id\": " INT64_FORMAT, connection_id);
    appendStringInfoChar(&json, '}');
    return DirectFunctionCall1(jsonb_in, CStringGetDatum(json.data));
}

void parse(const char* body, std::size_t length, Callback& out) {
    wcfdw::pg::PendingError pending;
    if (!wcfdw::pg::run_cpp(pending, [&] {
            try {
                const auto parsed = wcfdw::webhook::parse_auth_callback(std::string_view(body, length));
                out.token_hash = wcfdw::pg::pstrdup_guarded(wcfdw::webhook::sha256_hex(parsed.state));
                out.consumer_key = wcfdw::pg::pstrdup_guarded(parsed.consumer_key);
                out.consumer_secret = wcfdw::pg::pstrdup_guarded(parsed.consumer_secret);
                out.permissions = wcfdw::pg::pstrdup_guarded(parsed.permissions);
            } catch (const wcfdw::WooError& e) {
                if (e.kind() != wcfdw::ErrorKind::InvalidArgument) throw;
                strlcpy(out.error, e.what(), sizeof out.error);
            }
        }))
        wcfdw::pg::raise_pending_error(pending);
}

// Verifies the key like create_connection: {"ok", "message", "hint"} of
// test_connection, as JSON text.
char* verify(const FlowRequest& flow, const Callback& c) {
    const auto deadline = wcfdw::pg::statement_deadline();
    char* result = nullptr;
    wcfdw::pg::PendingError pending;
    if (!wcfdw::pg::run_cpp(pending, [&] {
            wcfdw::ConnectionTestInput input;
            input.store_url = flow.store_url;
            input.credentials = {c.consumer_key, c.consumer_secret};
            const auto options = nlohmann::json::parse(flow.options);
            const auto valid = wcfdw::valid_option_names(wcfdw::OptionCatalog::TestConnection);
            nlohmann::json kept = nlohmann::json::object();
            for (const auto& [name, value] : options.items())
                if (std::find(valid.begin(), valid.end(), name) != valid.end() && name != "require_write")
                    kept[name] = value;
            kept["require_write"] = std::string(flow.scope) != "read";
            input.options = wcfdw::options_from_json(kept.dump());
            input.deadline = deadline;
            result = wcfdw::pg::pstrdup_guarded(wcfdw::test_store_connection(input, wcfdw::pg::interrupt_pending).dump());
        }))
        wcfdw::pg::raise_pending_error(pending);
    return result;
}

bool find_flow(const char* token_hash, FlowRequest& flow) {
    Oid types[1] = {TEXTOID};
    Datum args[1] = {CStringGetTextDatum(token_hash)};
    const int rc = SPI_execute_with_args(
        "SELECT id, owner::oid, store_url, store_name, scope, options::text, expires_at < now(), used_at IS NOT NULL "
        "FROM woocommerce.authorization_request WHERE token_hash = $1 FOR UPDATE",
        1, types, args, nullptr, false, 1);
    if (rc != SPI_OK_SELECT) elog(ERROR, "could not look up the authorization request (SPI result %d)", rc);
    if (SPI_processed == 0) return false;
    HeapTuple row = SPI_tuptable->vals[0];
    TupleDesc desc = SPI_tuptable->tupdesc;
    bool isnull = false;
    flow.id = DatumGetInt64(SPI_getbinval(row, desc, 1, &isnull));
    flow.owner = DatumGetObjectId(SPI_getbinval(row, desc, 2, &isnull));
    flow.store_url = SPI_getvalue(row, desc, 3);
    flow.store_name = SPI_getvalue(row, desc, 4);
    flow.scope = SPI_getvalue(row, desc, 5);
    flow.options = SPI_getvalue(row, desc, 6);
    flow.expired = DatumGetBool(SPI_getbinval(row, desc, 7, &isnull));
    flow.used = DatumGetBool(SPI_getbinval(row, desc, 8, &isnull));
    return true;
}

// The flow's outcome; `used` closes it (a second callback is a replay).
void record(int64 id, const char* outcome, bool used, int64 connection_id) {
    Oid types[4] = {INT8OID, TEXTOID, BOOLOID, INT8OID};
    Datum args[4] = {Int64GetDatum(id), CStringGetTextDatum(outcome), BoolGetDatum(used), Int64GetDatum(connection_id)};
    const char nulls[4] = {' ', ' ', ' ', connection_id > 0 ? ' ' : 'n'};
    if (SPI_execute_with_args("UPDATE woocommerce.authorization_request SET outcome = $2, "
                              "used_at = CASE WHEN $3 THEN now() END, connection_id = $4 WHERE id = $1",
                              4, types, args, nulls, false, 0) != SPI_OK_UPDATE)
        elog(ERROR, "could not record the outcome of the authorization request");
}

// A callback refused for a closed or expired flow: counted, the outcome kept.
void count_refusal(int64 id, const char* outcome) {
    Oid types[2] = {INT8OID, TEXTOID};
    Datum args[2] = {Int64GetDatum(id), CStringGetTextDatum(outcome)};
    if (SPI_execute_with_args("UPDATE woocommerce.authorization_request SET refusals = refusals + 1, "
                              "outcome = CASE WHEN used_at IS NULL THEN $2 ELSE outcome END WHERE id = $1",
                              2, types, args, nullptr, false, 0) != SPI_OK_UPDATE)
        elog(ERROR, "could not record the refused callback");
}

// ADD or SET the key options of the current user's mapping, or create it.
void write_user_mapping(const char* server_name, const Callback& c, bool exists) {
    RoleSpec* role = makeNode(RoleSpec);
    role->roletype = ROLESPEC_CURRENT_USER;
    role->location = -1;
    const DefElemAction action = exists ? DEFELEM_SET : DEFELEM_UNSPEC;
    List* options = list_make2(
        makeDefElemExtended(nullptr, pstrdup("consumer_key"), (Node*)makeString(pstrdup(c.consumer_key)), action, -1),
        makeDefElemExtended(nullptr, pstrdup("consumer_secret"), (Node*)makeString(pstrdup(c.consumer_secret)), action, -1));
    if (exists) {
        AlterUserMappingStmt* stmt = makeNode(AlterUserMappingStmt);
        stmt->user = role;
        stmt->servername = pstrdup(server_name);
        stmt->options = options;
        AlterUserMapping(stmt);
    } else {
        CreateUserMappingStmt* stmt = makeNode(CreateUserMappingStmt);
        stmt->user = role;
        stmt->servername = pstrdup(server_name);
        stmt->if_not_exists = false;
        stmt->options = options;
        CreateUserMapping(stmt);
    }
    CommandCounterIncrement();
}

// As the flow's owner: the owner's connection to the store gets the key (a
// new connection, or the existing one's user mapping is updated).
int64 connect_as_owner(const FlowRequest& flow, const Callback& c, bool* updated) {
    Oid types[3] = {TEXTOID, TEXTOID, JSONBOID};
    Datum args[3] = {CStringGetTextDatum(flow.store_url), CStringGetTextDatum(flow.store_name),
                     DirectFunctionCall1(jsonb_in, CStringGetDatum(flow.options))};
    int rc = SPI_execute_with_args(
        "SELECT c.id, c.server_name::text, EXISTS (SELECT 1 FROM pg_catalog.pg_user_mappings u "
        "WHERE u.srvname = c.server_name AND u.usename = current_user) "
        "FROM woocommerce.connection c WHERE c.owner = woocommerce.current_owner() AND c.store_url = $1",
        1, types, args, nullptr, false, 1);
    if (rc != SPI_OK_SELECT) elog(ERROR, "could not look for the connection (SPI result %d)", rc);
    *updated = SPI_processed == 1;
    bool mapping_exists = false;
    if (!*updated) {
        rc = SPI_execute_with_args(
            "INSERT INTO woocommerce.connection (store_url, store_name, options) VALUES ($1, $2, $3) "
            "RETURNING id, server_name::text, false",
            3, types, args, nullptr, false, 1);
        if (rc != SPI_OK_INSERT_RETURNING || SPI_processed != 1) elog(ERROR, "could not create the connection");
    }
    bool isnull = false;
    const int64 id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
    char* server_name = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
    mapping_exists = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
    write_user_mapping(server_name, c, mapping_exists);
    return id;
}

// connect_as_owner in a subtransaction and as the owner; on failure the
// error's message is copied to `message` and nothing it did remains.
int64 connect_guarded(const FlowRequest& flow, const Callback& c, bool* updated, char* message, std::size_t size) {
    MemoryContext context = CurrentMemoryContext;
    ResourceOwner owner = CurrentResourceOwner;
    Oid saved_user = InvalidOid;
    int saved_context = 0;
    GetUserIdAndSecContext(&saved_user, &saved_context);
    volatile int64 id = 0;
    BeginInternalSubTransaction(nullptr);
    MemoryContextSwitchTo(context);
    SetUserIdAndSecContext(flow.owner, saved_context | SECURITY_LOCAL_USERID_CHANGE);
    PG_TRY();
    {
        id = connect_as_owner(flow, c, updated);
        SetUserIdAndSecContext(saved_user, saved_context);
        ReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(context);
        CurrentResourceOwner = owner;
    }
    PG_CATCH();
    {
        SetUserIdAndSecContext(saved_user, saved_context);
        MemoryContextSwitchTo(context);
        ErrorData* error = CopyErrorData();
        FlushErrorState();
        RollbackAndReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(context);
        CurrentResourceOwner = owner;
        strlcpy(message, error->message ? error->message : "unknown error", size);
        FreeErrorData(error);
        id = 0;
    }
    PG_END_TRY();
    return id;
}

// The state token's flow, checked; the key verified and stored.
Datum complete_flow(const Callback& c) {
    FlowRequest flow;
    if (!find_flow(c.token_hash, flow))
        return answer(401, "refused", "unknown_state", "no authorization request has this state token");
    if (flow.used) {
        count_refusal(flow.id, "replayed");
        return answer(401, "refused", "replayed", "this authorization request was completed before");
    }
    if (flow.expired) {
        count_refusal(flow.id, "expired");
        return answer(401, "refused", "expired", "this authorization request has expired; call authorize_url again");
    }
    if (strcmp(flow.scope, c.permissions) != 0) {
        record(flow.id, "refused: the key's permissions are not the requested scope", false, 0);
        return answer(401, "refused", "wrong_permissions", "the key's permissions are not the scope that was asked for");
    }
    Jsonb* verified = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(verify(flow, c))));
    JsonbValue key;
    key.type = jbvString;
    key.val.string.val = const_cast<char*>("ok");
    key.val.string.len = 2;
    JsonbValue* ok = findJsonbValueFromContainer(&verified->root, JB_FOBJECT, &key);
    if (!ok || ok->type != jbvBool || !ok->val.boolean) {
        key.val.string.val = const_cast<char*>("message");
        key.val.string.len = 7;
        JsonbValue* m = findJsonbValueFromContainer(&verified->root, JB_FOBJECT, &key);
        const char* message = m && m->type == jbvString ? pnstrdup(m->val.string.val, m->val.string.len)
                                                        : "the store check failed";
        record(flow.id, psprintf("verification failed: %s", message), false, 0);
        return answer(502, "refused", "verification_failed", message);
    }
    bool updated = false;
    char failure[512] = {0};
    const int64 connection_id = connect_guarded(flow, c, &updated, failure, sizeof failure);
    if (connection_id == 0) {
        record(flow.id, psprintf("failed: %s", failure), false, 0);
        return answer(500, "failed", "connection_failed", failure);
    }
    record(flow.id, updated ? "updated" : "connected", true, connection_id);
    return answer(200, updated ? "updated" : "connected", nullptr, nullptr, connection_id);
}

}  // namespace

extern "C" Datum woocommerce_receive_auth_callback(PG_FUNCTION_ARGS) {
    bytea* body = PG_GETARG_BYTEA_PP(1);
    const std::size_t length = VARSIZE_ANY_EXHDR(body);
    if (length > wcfdw::webhook::kMaxAuthCallbackBytes)
        return answer(413, "refused", "body_too_large", "the callback body is larger than 16 kB");
    Callback c;
    parse(VARDATA_ANY(body), length, c);
    if (c.error[0]) return answer(400, "refused", "malformed", c.error);
    volatile Datum result = 0;
    PG_TRY();
    {
        if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
        result = SPI_datumTransfer(complete_flow(c), false, -1);  // out of SPI's memory
        SPI_finish();
    }
    PG_FINALLY();
    {
        wipe(c);
    }
    PG_END_TRY();
    PG_RETURN_DATUM(result);
}
