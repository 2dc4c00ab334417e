// Library entry: the module magic and process-wide setup.
#include "pg/postgres_headers.hpp"

extern "C" {
PG_MODULE_MAGIC;

void _PG_init(void);
}

void _PG_init(void) {
    // Nothing to set up yet: the HTTP core initialises libcurl lazily on
    // first use, and per-statement settings come from server options.
}
