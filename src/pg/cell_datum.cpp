#include "pg/cell_datum.hpp"

#include "pg/text_encoding.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

Datum cell_to_datum(const WooColumn* col, const wcfdw::Cell& cell, FmgrInfo* input, Oid ioparam, bool* isnull,
                    const char* object_noun, int64 object_id, const char** context_column) {
    *isnull = false;
    char buf[32];
    const char* text = nullptr;
    switch (cell.kind) {
    case wcfdw::Cell::Null: *isnull = true; return (Datum)0;
    case wcfdw::Cell::Int:
        if (col->type == INT8OID) return Int64GetDatum(cell.i);
        if (col->type == INT4OID) return Int32GetDatum(static_cast<int32>(cell.i));
        snprintf(buf, sizeof buf, INT64_FORMAT, static_cast<int64>(cell.i));
        text = buf;
        break;
    case wcfdw::Cell::Bool:
        if (col->type == BOOLOID) return BoolGetDatum(cell.b);
        text = cell.b ? "true" : "false";
        break;
    case wcfdw::Cell::Text: {
        int len = 0;
        text = store_text_to_server(cell.text.c_str(), static_cast<int>(cell.text.size()), &len,
                                    TextOrigin{col->place, object_noun, object_id});
        if (col->type == TEXTOID) return PointerGetDatum(cstring_to_text_with_len(text, len));
        break;
    }
    }
    *context_column = col->name;
    const Datum d = InputFunctionCall(input, const_cast<char*>(text), ioparam, col->typmod);
    *context_column = nullptr;
    return d;
}

}  // namespace wcfdw::pg
