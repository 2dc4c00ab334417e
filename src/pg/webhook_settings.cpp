#include "pg/webhook_settings.hpp"

#include "pg/postgres_headers.hpp"

extern "C" {
#include "utils/guc.h"
}

namespace wcfdw::pg {

int webhook_max_body_bytes = 4 * 1024 * 1024;
char* webhook_listen = nullptr;
char* webhook_database = nullptr;
char* webhook_role = nullptr;
int webhook_max_connections = 256;
int webhook_read_timeout_s = 10;
char* webhook_tls_cert_file = nullptr;
char* webhook_tls_key_file = nullptr;
int webhook_statement_timeout_ms = 30000;

void define_webhook_settings() {
    // Superuser-only: a role that could raise it would decide how much
    // memory a hostile body may take.
    DefineCustomIntVariable("woocommerce.webhook_max_body_bytes",
                            "Largest webhook body receive_webhook and the receiver accept; larger ones are refused (413).",
                            nullptr, &webhook_max_body_bytes, 4 * 1024 * 1024, 1024, 256 * 1024 * 1024, PGC_SUSET,
                            GUC_UNIT_BYTE, nullptr, nullptr, nullptr);
    DefineCustomStringVariable("woocommerce.webhook_listen",
                               "Address (host:port) the webhook receiver listens on; empty turns it off.",
                               "Needs woocommerce_fdw in shared_preload_libraries. Takes effect on reload.",
                               &webhook_listen, "", PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
    DefineCustomStringVariable("woocommerce.webhook_database",
                               "Database the webhook receiver connects to (woocommerce_fdw must be installed there).",
                               nullptr, &webhook_database, "postgres", PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
    DefineCustomStringVariable("woocommerce.webhook_role",
                               "Role the webhook receiver runs receive_webhook as; it needs EXECUTE on it.",
                               "Empty keeps the receiver off.", &webhook_role, "", PGC_SIGHUP, 0, nullptr, nullptr,
                               nullptr);
    DefineCustomIntVariable("woocommerce.webhook_max_connections",
                            "Connections the webhook receiver keeps open at once; more wait in the listen queue.",
                            nullptr, &webhook_max_connections, 256, 1, 4096, PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("woocommerce.webhook_read_timeout",
                            "Seconds the webhook receiver waits for a request's headers and body before closing the connection.",
                            nullptr, &webhook_read_timeout_s, 10, 1, 3600, PGC_SIGHUP, GUC_UNIT_S, nullptr, nullptr,
                            nullptr);
    DefineCustomIntVariable("woocommerce.webhook_statement_timeout",
                            "Longest time the webhook receiver spends on one delivery (its statement_timeout).",
                            nullptr, &webhook_statement_timeout_ms, 30000, 100, 3600 * 1000, PGC_SIGHUP, GUC_UNIT_MS,
                            nullptr, nullptr, nullptr);
    DefineCustomStringVariable("woocommerce.webhook_tls_cert_file",
                               "PEM certificate (chain) for HTTPS in the webhook receiver; empty: plain HTTP.", nullptr,
                               &webhook_tls_cert_file, "", PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
    DefineCustomStringVariable("woocommerce.webhook_tls_key_file",
                               "PEM private key for woocommerce.webhook_tls_cert_file.", nullptr, &webhook_tls_key_file,
                               "", PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
}

}  // namespace wcfdw::pg
