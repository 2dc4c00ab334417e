// The C side of woocommerce.receive_webhook (src/sql/1.2/50_webhooks.sql):
//   _webhook_inspect   headers and size, before anything is looked up
//   _webhook_open      the signature, checked with the owner's webhook_secret
//                      (read here from the catalog, never handed to SQL), then
//                      the body parsed and planned
//   _webhook_apply_as  woocommerce._webhook_apply run as the connection's owner
// The decisions are the core's (core/webhook); this file moves bytes between
// PostgreSQL and the core and switches the user.
#include <cstring>
#include <string>
#include <string_view>

#include "core/base/woo_error.hpp"
#include "core/webhook/delivery.hpp"
#include "core/webhook/payload.hpp"
#include "core/webhook/signature.hpp"

#include "pg/error_bridge.hpp"
#include "pg/option_lists.hpp"
#include "pg/webhook_settings.hpp"
#include "pg/postgres_headers.hpp"

extern "C" {
#include "executor/spi.h"
#include "utils/syscache.h"
}

extern "C" {
PG_FUNCTION_INFO_V1(woocommerce_webhook_inspect);
PG_FUNCTION_INFO_V1(woocommerce_webhook_open);
PG_FUNCTION_INFO_V1(woocommerce_webhook_apply_as);
}

namespace {

// These helpers see secrets or act as another role: only receive_webhook
// (SECURITY DEFINER, owned by the superuser who created the extension)
// calls them. EXECUTE may have been granted widely (GRANT ... ON ALL
// FUNCTIONS), so they check for themselves.
void require_superuser(const char* function) {
    if (!superuser())
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("permission denied for function %s", function),
                        errhint("It is called by woocommerce.receive_webhook; call that instead.")));
}

// The value of option `name` in the user mapping of `userid` on the server
// (or PUBLIC's), or NULL. Unlike GetUserMapping it does not raise when
// there is no mapping: a delivery for such a connection is refused instead.
const char* mapping_option(Oid userid, Oid serverid, const char* name) {
    HeapTuple tuple = SearchSysCache2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(userid), ObjectIdGetDatum(serverid));
    if (!HeapTupleIsValid(tuple))
        tuple = SearchSysCache2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(InvalidOid), ObjectIdGetDatum(serverid));
    if (!HeapTupleIsValid(tuple)) return nullptr;
    bool isnull = true;
    const Datum options = SysCacheGetAttr(USERMAPPINGUSERSERVER, tuple, Anum_pg_user_mapping_umoptions, &isnull);
    const char* value = nullptr;
    if (!isnull) {
        ListCell* cell;
        foreach (cell, untransformRelOptions(options)) {
            DefElem* def = static_cast<DefElem*>(lfirst(cell));
            if (strcmp(def->defname, name) == 0) value = pstrdup(defGetString(def));
        }
    }
    ReleaseSysCache(tuple);
    return value;
}

char* inspect(const char* headers_text, const char* body, std::size_t body_len, std::size_t max_body_bytes) {
    char* result = nullptr;
    wcfdw::pg::PendingError pending;
    if (!wcfdw::pg::run_cpp(pending, [&] {
            const auto headers = nlohmann::json::parse(headers_text);
            const auto inspection =
                wcfdw::webhook::inspect_delivery(headers, std::string_view(body, body_len), max_body_bytes);
            result = wcfdw::pg::pstrdup_guarded(wcfdw::webhook::inspection_json(inspection).dump());
        }))
        wcfdw::pg::raise_pending_error(pending);
    return result;
}

// {"signature": "ok"|"bad"|"no_secret"} and, when ok, "payload" and "plan"
// or "error" (a body the store signed but that cannot be applied).
char* open_delivery(const char* secret, const char* topic, const char* signature, const char* body,
                    std::size_t body_len) {
    char* result = nullptr;
    wcfdw::pg::PendingError pending;
    if (!wcfdw::pg::run_cpp(pending, [&] {
            using Json = nlohmann::json;
            Json out;
            const std::string raw(body, body_len);
            if (!secret || !*secret) {
                out["signature"] = "no_secret";
            } else if (!wcfdw::webhook::signature_matches(secret, raw, signature)) {
                out["signature"] = "bad";
            } else {
                out["signature"] = "ok";
                const std::string t = topic;
                const auto dot = t.find('.');
                try {
                    Json payload = wcfdw::webhook::parse_delivery_body(raw);
                    const auto plan = wcfdw::webhook::plan_delivery(t.substr(0, dot), t.substr(dot + 1), payload);
                    out["plan"] = {{"action", wcfdw::webhook::delivery_action_name(plan.action)},
                                   {"resource_id", plan.resource_id},
                                   {"import_id", plan.import_id},
                                   {"variation", plan.variation}};
                    out["payload"] = std::move(payload);
                } catch (const wcfdw::WooError& e) {
                    out["error"] = e.what();
                }
            }
            result = wcfdw::pg::pstrdup_guarded(out.dump());
        }))
        wcfdw::pg::raise_pending_error(pending);
    return result;
}

}  // namespace

extern "C" Datum woocommerce_webhook_inspect(PG_FUNCTION_ARGS) {
    Jsonb* headers = PG_GETARG_JSONB_P(0);
    bytea* body = PG_GETARG_BYTEA_PP(1);
    const char* headers_text = JsonbToCString(nullptr, &headers->root, VARSIZE(headers));
    char* result = inspect(headers_text, VARDATA_ANY(body), VARSIZE_ANY_EXHDR(body),
                           static_cast<std::size_t>(wcfdw::pg::webhook_max_body_bytes));
    PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(result)));
}

extern "C" Datum woocommerce_webhook_open(PG_FUNCTION_ARGS) {
    require_superuser("woocommerce._webhook_open");
    const char* server_name = NameStr(*PG_GETARG_NAME(0));
    const Oid owner = PG_GETARG_OID(1);
    const char* topic = text_to_cstring(PG_GETARG_TEXT_PP(2));
    const char* signature = text_to_cstring(PG_GETARG_TEXT_PP(3));
    bytea* body = PG_GETARG_BYTEA_PP(4);
    if (!strchr(topic, '.'))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("invalid webhook topic \"%s\"", topic)));
    ForeignServer* server = wcfdw::pg::woocommerce_server(server_name);
    char* secret = const_cast<char*>(mapping_option(owner, server->serverid, "webhook_secret"));
    char* result = open_delivery(secret, topic, signature, VARDATA_ANY(body), VARSIZE_ANY_EXHDR(body));
    if (secret) {
        explicit_bzero(secret, strlen(secret));
        pfree(secret);
    }
    PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(result)));
}

// Runs woocommerce._webhook_apply as `owner`, the way a SECURITY DEFINER
// function would: the user id changes for the call and is restored after
// it, also when it fails (the subtransaction that catches the error would
// restore it too). SECURITY_LOCAL_USERID_CHANGE keeps SET ROLE out; a
// security-restricted operation is not possible because the import builds a
// temporary table.
extern "C" Datum woocommerce_webhook_apply_as(PG_FUNCTION_ARGS) {
    require_superuser("woocommerce._webhook_apply_as");
    const Oid owner = PG_GETARG_OID(0);
    if (!SearchSysCacheExists1(AUTHOID, ObjectIdGetDatum(owner)))
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("the owner of the connection (role %u) does not exist", owner)));
    Oid types[4] = {INT8OID, TEXTOID, JSONBOID, JSONBOID};
    Datum args[4] = {PG_GETARG_DATUM(1), PG_GETARG_DATUM(2), PG_GETARG_DATUM(3), PG_GETARG_DATUM(4)};
    Oid saved_user = InvalidOid;
    int saved_context = 0;
    GetUserIdAndSecContext(&saved_user, &saved_context);
    volatile Datum result = 0;
    volatile bool isnull = true;
    SetUserIdAndSecContext(owner, saved_context | SECURITY_LOCAL_USERID_CHANGE);
    PG_TRY();
    {
        if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
        const int rc = SPI_execute_with_args("SELECT woocommerce._webhook_apply($1, $2, $3, $4)", 4, types, args,
                                             nullptr, false, 1);
        if (rc != SPI_OK_SELECT || SPI_processed != 1)
            elog(ERROR, "woocommerce._webhook_apply did not answer (SPI result %d)", rc);
        bool null_result = true;
        const Datum value = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &null_result);
        if (!null_result) result = SPI_datumTransfer(value, false, -1);
        isnull = null_result;
        SPI_finish();
    }
    PG_FINALLY();
    {
        SetUserIdAndSecContext(saved_user, saved_context);
    }
    PG_END_TRY();
    if (isnull) PG_RETURN_NULL();
    PG_RETURN_DATUM(result);
}
