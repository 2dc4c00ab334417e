// A converted cell (core/row_converter) as a PostgreSQL Datum of its
// column's type: integers and booleans directly, text by copy, everything
// else through the type's input function. Shared by scans and by the
// RETURNING rows of writes.
#pragma once

#include "core/scan/row_converter.hpp"
#include "pg/foreign_table.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

// Plain C frame: input functions may raise (the caller sets an error context).
Datum cell_to_datum(const WooColumn* column, const wcfdw::Cell& cell, FmgrInfo* input, Oid ioparam, bool* isnull);

}  // namespace wcfdw::pg
