// A woocommerce_fdw foreign table as the planner and executor see it: its
// resource and, per column, the JSON member it reads and how. Read from the
// catalogs once per planning or execution, as plain palloc'd C data.
#pragma once

#include "core/woo/resources.hpp"
#include "core/woo/table_schema.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

// Names come in the database encoding (for PostgreSQL's messages) and in
// UTF-8 (for the core, whose messages and requests are UTF-8).
struct WooColumn {
    bool dropped;
    const char* name;
    const char* name_utf8;
    const char* place;            // column "name" of foreign table "products", for errors
    Oid type;
    int32 typmod;
    Oid collation;
    const char* field;            // column option field, or the column name (UTF-8: the store's member)
    wcfdw::ColumnSource source;
    wcfdw::ColumnType kind;       // how the converter produces its value
};

struct WooTable {
    Oid relid;
    const char* relname;
    const char* relname_utf8;
    Oid serverid;
    const wcfdw::ResourceInfo* resource;
    int natts;
    WooColumn* columns;           // index attnum - 1
    const char* rowid_column;     // the resource's key ("id", "slug", "code") unless the table option says otherwise
    bool trash;                   // DELETE moves to the trash instead of deleting
    int batch_size;               // 0: the server's or 100
};

// Raises (HV00D/HV000) for a missing or unknown resource. Plain C frame.
WooTable* load_woo_table(Oid relid);

// The filter for a column, or nullptr when conditions on it stay local.
const wcfdw::FilterSpec* column_filter(const WooTable* table, AttrNumber attnum) noexcept;

}  // namespace wcfdw::pg
