// A converted cell (core/row_converter) as a PostgreSQL Datum of its
// column's type: integers and booleans directly, text by copy, everything
// else through the type's input function. Shared by scans and by the
// RETURNING rows of writes.
#pragma once

#include "core/scan/row_converter.hpp"
#include "pg/foreign_table.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

// Plain C frame. The store's text is first converted to the database
// encoding (22021 or 22P05 naming the column and `object_noun`
// `object_id`); then the input function runs with *context_column set to
// the column's name, so that the caller's error context names the column
// for the input function's errors (and only for those).
Datum cell_to_datum(const WooColumn* column, const wcfdw::Cell& cell, FmgrInfo* input, Oid ioparam, bool* isnull,
                    const char* object_noun, int64 object_id, const char** context_column);

}  // namespace wcfdw::pg
