// The webhook receiver's settings (woocommerce.webhook_*), defined in
// _PG_init. The background worker reads the listener settings again after
// every SIGHUP.
#pragma once

namespace wcfdw::pg {

extern int webhook_max_body_bytes;        // woocommerce.webhook_max_body_bytes
extern char* webhook_listen;              // woocommerce.webhook_listen: "" (off) or "host:port"
extern char* webhook_database;            // woocommerce.webhook_database
extern char* webhook_role;                // woocommerce.webhook_role
extern int webhook_max_connections;       // woocommerce.webhook_max_connections
extern int webhook_read_timeout_s;        // woocommerce.webhook_read_timeout
extern char* webhook_tls_cert_file;       // woocommerce.webhook_tls_cert_file
extern char* webhook_tls_key_file;        // woocommerce.webhook_tls_key_file
extern int webhook_statement_timeout_ms;  // woocommerce.webhook_statement_timeout

void define_webhook_settings();

// From _PG_init when preloaded (webhook_worker.cpp): the receiver's worker,
// which stays idle until woocommerce.webhook_listen and _role are set.
void register_webhook_worker();

}  // namespace wcfdw::pg
