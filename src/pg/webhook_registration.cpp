// woocommerce._webhook_request(server, operation, request): the store side of
// register_webhooks, unregister_webhooks and the webhook health check, with
// the current role's user mapping (like _sync_request). For 'register' it
// also makes the new secret and keeps it in that user mapping: the secret is
// generated in C++, sent to the store, and written into the mapping through
// PostgreSQL's own AlterUserMapping, so it never appears in SQL text, a
// result, a log line or pg_stat_statements.
#include <algorithm>
#include <cstring>
#include <string>

#include "core/webhook/registration.hpp"
#include "core/webhook/signature.hpp"
#include "core/woo/options.hpp"
#include "core/woo/store_client.hpp"

#include "pg/error_bridge.hpp"
#include "pg/interrupts.hpp"
#include "pg/option_lists.hpp"
#include "pg/postgres_headers.hpp"

extern "C" {
#include "utils/acl.h"
}

extern "C" {
PG_FUNCTION_INFO_V1(woocommerce_webhook_request);
}

namespace {

struct RequestResult {
    char* answer = nullptr;   // JSON, never the secret
    char* secret = nullptr;   // 'register' only
};

RequestResult run_webhook_request(const char* operation, const char* url, const char* key, const char* secret_key,
                                  const wcfdw::pg::FlatOptions* server_options, const char* request_text) {
    const auto deadline = wcfdw::pg::statement_deadline();
    RequestResult out;
    wcfdw::pg::PendingError pending;
    if (!wcfdw::pg::run_cpp(pending, [&] {
            const std::string op = operation;
            const nlohmann::json request = nlohmann::json::parse(request_text);
            wcfdw::OptionList options;
            for (int i = 0; i < server_options->count; ++i)
                options.emplace_back(server_options->names[i], server_options->values[i]);
            wcfdw::StoreClient client(wcfdw::store_config_from_options(url, options, {key, secret_key}));
            client.http().set_cancel_hook(wcfdw::pg::interrupt_pending);
            client.http().set_deadline(deadline);
            nlohmann::json answer;
            if (op == "register") {
                std::string secret = wcfdw::webhook::generate_secret();
                answer = wcfdw::webhook::register_webhooks(client, request, secret);
                out.secret = wcfdw::pg::pstrdup_guarded(secret);
                std::fill(secret.begin(), secret.end(), '\0');
            } else if (op == "health") {
                answer = wcfdw::webhook::webhook_health(client, request);
            } else if (op == "unregister") {
                answer = wcfdw::webhook::unregister_webhooks(client, request);
            } else {
                throw wcfdw::WooError(wcfdw::ErrorKind::InvalidArgument, "unknown webhook operation \"" + op + "\"");
            }
            out.answer = wcfdw::pg::pstrdup_guarded(answer.dump());
        }))
        wcfdw::pg::raise_pending_error(pending);
    return out;
}

// ALTER USER MAPPING FOR CURRENT_USER SERVER s OPTIONS (ADD|SET webhook_secret ...),
// made as a parse node: no statement text exists that could be logged.
void store_webhook_secret(const char* server_name, const char* secret, bool replace) {
    RoleSpec* role = makeNode(RoleSpec);
    role->roletype = ROLESPEC_CURRENT_USER;
    role->location = -1;
    AlterUserMappingStmt* stmt = makeNode(AlterUserMappingStmt);
    stmt->user = role;
    stmt->servername = pstrdup(server_name);
    stmt->options = list_make1(makeDefElemExtended(nullptr, pstrdup("webhook_secret"), (Node*)makeString(pstrdup(secret)),
                                                   replace ? DEFELEM_SET : DEFELEM_ADD, -1));
    AlterUserMapping(stmt);
    CommandCounterIncrement();
}

}  // namespace

extern "C" Datum woocommerce_webhook_request(PG_FUNCTION_ARGS) {
    const char* server_name = NameStr(*PG_GETARG_NAME(0));
    const char* operation = text_to_cstring(PG_GETARG_TEXT_PP(1));
    const char* request_text = text_to_cstring(PG_GETARG_TEXT_PP(2));
    ForeignServer* server = wcfdw::pg::woocommerce_server(server_name);
    const AclResult acl = pg_foreign_server_aclcheck(server->serverid, GetUserId(), ACL_USAGE);
    if (acl != ACLCHECK_OK) aclcheck_error(acl, OBJECT_FOREIGN_SERVER, server->servername);
    const bool registering = strcmp(operation, "register") == 0;
    // The secret goes into the caller's own user mapping, next to its keys.
    if (registering &&
        !SearchSysCacheExists2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(GetUserId()), ObjectIdGetDatum(server->serverid)))
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                        errmsg("user mapping for \"%s\" does not exist for server \"%s\"", GetUserNameFromId(GetUserId(), false),
                               server_name),
                        errhint("Webhooks are registered by the connection's owner, whose user mapping holds its keys.")));
    UserMapping* mapping = GetUserMapping(GetUserId(), server->serverid);
    const wcfdw::pg::FlatOptions server_options = wcfdw::pg::flatten_options(server->options);
    const wcfdw::pg::FlatOptions mapping_options = wcfdw::pg::flatten_options(mapping->options);
    const char* url = wcfdw::pg::flat_option(server_options, "url", "");
    const char* key = wcfdw::pg::flat_option(mapping_options, "consumer_key", "");
    const char* secret_key = wcfdw::pg::flat_option(mapping_options, "consumer_secret", "");
    const bool had_secret = wcfdw::pg::flat_option(mapping_options, "webhook_secret") != nullptr;
    RequestResult result = run_webhook_request(operation, url, key, secret_key, &server_options, request_text);
    if (result.secret) {
        store_webhook_secret(server_name, result.secret, had_secret);
        explicit_bzero(result.secret, strlen(result.secret));
    }
    PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(result.answer)));
}
