// SQL functions that check a store link: woocommerce.test_connection (by
// URL and keys) and woocommerce.test_server (by foreign server, with the
// current role's user mapping; woocommerce._test_connection_server is the
// same for a stored connection's server).
#include "core/woo/connection_test.hpp"

#include "pg/error_bridge.hpp"
#include "pg/interrupts.hpp"
#include "pg/option_lists.hpp"
#include "pg/postgres_headers.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(woocommerce_test_connection);
PG_FUNCTION_INFO_V1(woocommerce_test_server);
}

namespace {

const char* text_arg_or_empty(FunctionCallInfo fcinfo, int n) {
    return PG_ARGISNULL(n) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(n));
}

// Runs the test in C++ and returns the JSON result as a palloc'd string.
// Everything it is given is plain C data prepared by the caller.
// server_name NULL: the keys are test_connection's arguments; otherwise they
// are the user mapping's on that server, of connection connection_id (0: none).
char* run_connection_test(const char* url, const char* key, const char* secret, const char* options_json,
                          const wcfdw::pg::FlatOptions* server_options, const char* server_name,
                          int64 connection_id) {
    const auto deadline = wcfdw::pg::statement_deadline();
    char* result = nullptr;
    wcfdw::pg::PendingError pending;
    if (!wcfdw::pg::run_cpp(pending, [&] {
            wcfdw::ConnectionTestInput input;
            input.store_url = url;
            input.credentials = {key, secret};
            if (connection_id != 0)
                input.credentials_source = wcfdw::CredentialSource::connection(connection_id);
            else if (server_name)
                input.credentials_source = wcfdw::CredentialSource::user_mapping(server_name);
            if (options_json) input.options = wcfdw::options_from_json(options_json);
            if (server_options) {
                // A server's options are checked by the validator already;
                // keep those test_connection understands.
                const auto valid = wcfdw::valid_option_names(wcfdw::OptionCatalog::TestConnection);
                for (int i = 0; i < server_options->count; ++i)
                    for (const auto& name : valid)
                        if (name == server_options->names[i])
                            input.options.emplace_back(server_options->names[i], server_options->values[i]);
            }
            input.deadline = deadline;
            const nlohmann::json answer = wcfdw::test_store_connection(input, wcfdw::pg::interrupt_pending);
            result = wcfdw::pg::pstrdup_guarded(answer.dump());
        }))
        wcfdw::pg::raise_pending_error(pending);
    return result;
}

}  // namespace

extern "C" Datum woocommerce_test_connection(PG_FUNCTION_ARGS) {
    const char* url = text_arg_or_empty(fcinfo, 0);
    const char* key = text_arg_or_empty(fcinfo, 1);
    const char* secret = text_arg_or_empty(fcinfo, 2);
    const char* options_json =
        PG_ARGISNULL(3) ? nullptr : JsonbToCString(nullptr, &PG_GETARG_JSONB_P(3)->root, VARSIZE(PG_GETARG_JSONB_P(3)));
    char* result = run_connection_test(url, key, secret, options_json, nullptr, nullptr, 0);
    PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(result)));
}

extern "C" Datum woocommerce_test_server(PG_FUNCTION_ARGS) {
    const char* server_name = NameStr(*PG_GETARG_NAME(0));
    // woocommerce._test_connection_server(server_name, connection_id)
    const int64 connection_id = PG_NARGS() > 1 ? PG_GETARG_INT64(1) : 0;
    ForeignServer* server = wcfdw::pg::woocommerce_server(server_name);
    // GetUserMapping raises "user mapping not found" naming the server and
    // role when there is neither one for the current role nor for PUBLIC.
    UserMapping* mapping = GetUserMapping(GetUserId(), server->serverid);
    const wcfdw::pg::FlatOptions server_options = wcfdw::pg::flatten_options(server->options);
    const wcfdw::pg::FlatOptions mapping_options = wcfdw::pg::flatten_options(mapping->options);
    const char* url = wcfdw::pg::flat_option(server_options, "url", "");
    const char* key = wcfdw::pg::flat_option(mapping_options, "consumer_key", "");
    const char* secret = wcfdw::pg::flat_option(mapping_options, "consumer_secret", "");
    char* result = run_connection_test(url, key, secret, nullptr, &server_options, server_name, connection_id);
    PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(result)));
}
