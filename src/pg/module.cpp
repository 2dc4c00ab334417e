// Library entry: the module magic and process-wide setup.
#include "pg/postgres_headers.hpp"

extern "C" {
PG_MODULE_MAGIC;

void _PG_init(void);
void wcfdw_define_sync_settings(void);  // sync_functions.cpp
}

void _PG_init(void) {
    // The HTTP core initialises libcurl lazily on first use, and
    // per-statement settings come from server options. The sync engine's
    // GUC (woocommerce.sync_progress) is defined here.
    wcfdw_define_sync_settings();
}
