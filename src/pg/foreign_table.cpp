#include "pg/foreign_table.hpp"

#include <cstring>

#include "pg/error_bridge.hpp"
#include "pg/text_encoding.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

namespace {

const wcfdw::ResourceInfo* resource_named(const char* name) noexcept {
    try {
        return wcfdw::find_resource(name);
    } catch (...) {
        return nullptr;
    }
}

wcfdw::ColumnSource source_of(const wcfdw::ResourceInfo* resource, const char* column, const char* field) noexcept {
    try {
        return wcfdw::default_column_source(*resource, column, field);
    } catch (...) {
        return wcfdw::ColumnSource::Member;
    }
}

const char* array_filter_field(const wcfdw::ResourceInfo* resource, const char* column) noexcept {
    try {
        const wcfdw::ArrayFilterColumn* a = wcfdw::find_array_filter_column(*resource, column);
        return a ? a->field : nullptr;
    } catch (...) {
        return nullptr;
    }
}

// "products, variations, ..." (palloc'd) for hints.
const char* resource_list() {
    const char* out = nullptr;
    PendingError pending;
    if (!run_cpp(pending, [&] { out = pstrdup_guarded(wcfdw::resource_names()); })) raise_pending_error(pending);
    return out;
}

wcfdw::ColumnType kind_of(Oid type) {
    switch (type) {
    case INT8OID: return wcfdw::ColumnType::BigInt;
    case INT4OID: return wcfdw::ColumnType::Integer;
    case NUMERICOID: return wcfdw::ColumnType::Numeric;
    case BOOLOID: return wcfdw::ColumnType::Boolean;
    case TEXTOID: return wcfdw::ColumnType::Text;
    case TIMESTAMPTZOID: return wcfdw::ColumnType::TimestampTz;
    case JSONBOID: return wcfdw::ColumnType::Jsonb;
    default: return wcfdw::ColumnType::Other;
    }
}

// A catalog name or option value as UTF-8 for the core.
const char* utf8_of(const char* text, const char* place) {
    int len;
    return server_text_to_store(text, static_cast<int>(strlen(text)), &len, TextOrigin{place, nullptr, 0});
}

}  // namespace

WooTable* load_woo_table(Oid relid) {
    WooTable* table = static_cast<WooTable*>(palloc0(sizeof(WooTable)));
    ForeignTable* ft = GetForeignTable(relid);
    table->relid = relid;
    table->relname = get_rel_name(relid);
    table->relname_utf8 = utf8_of(table->relname, psprintf("the name of foreign table \"%s\"", table->relname));
    table->serverid = ft->serverid;
    table->rowid_column = "id";
    bool rowid_option = false;
    const char* resource_name = nullptr;
    ListCell* lc;
    foreach (lc, ft->options) {
        DefElem* def = lfirst_node(DefElem, lc);
        if (strcmp(def->defname, "resource") == 0) resource_name = defGetString(def);
        else if (strcmp(def->defname, "rowid_column") == 0) table->rowid_column = defGetString(def), rowid_option = true;
        else if (strcmp(def->defname, "trash") == 0) table->trash = defGetBoolean(def);
        else if (strcmp(def->defname, "batch_size") == 0) table->batch_size = atoi(defGetString(def));
    }
    if (!resource_name) resource_name = table->relname;  // a table named like its resource needs no option
    table->resource = resource_named(resource_name);
    if (!table->resource)
        ereport(ERROR, (errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
                        errmsg("foreign table \"%s\" does not say which WooCommerce resource it shows", table->relname),
                        errhint("ALTER FOREIGN TABLE %s OPTIONS (ADD resource 'products'); valid resources: %s.",
                                quote_identifier(table->relname), resource_list())));
    if (!rowid_option && table->resource->key_field) table->rowid_column = table->resource->key_field;

    Relation rel = table_open(relid, AccessShareLock);
    TupleDesc desc = RelationGetDescr(rel);
    table->natts = desc->natts;
    table->columns = static_cast<WooColumn*>(palloc0(sizeof(WooColumn) * (desc->natts > 0 ? desc->natts : 1)));
    for (int i = 0; i < desc->natts; ++i) {
        Form_pg_attribute att = TupleDescAttr(desc, i);
        WooColumn* col = &table->columns[i];
        col->dropped = att->attisdropped;
        if (col->dropped) continue;
        col->name = pstrdup(NameStr(att->attname));
        col->place = psprintf("column \"%s\" of foreign table \"%s\"", col->name, table->relname);
        col->name_utf8 = utf8_of(col->name, col->place);
        col->type = att->atttypid;
        col->typmod = att->atttypmod;
        col->collation = att->attcollation;
        col->field = col->name;
        bool explicit_field = false;
        foreach (lc, GetForeignColumnOptions(relid, att->attnum)) {
            DefElem* def = lfirst_node(DefElem, lc);
            if (strcmp(def->defname, "field") == 0) {
                col->field = defGetString(def);
                explicit_field = true;
            }
        }
        col->field = utf8_of(col->field, col->place);
        col->kind = kind_of(col->type);
        // A column named like a filter column (products' category) without a
        // field option reads its array.
        if (!explicit_field) {
            const char* array = array_filter_field(table->resource, col->name_utf8);
            if (array) col->field = array;
        }
        col->source = source_of(table->resource, col->name_utf8, col->field);
    }
    table_close(rel, AccessShareLock);
    return table;
}

const wcfdw::FilterSpec* column_filter(const WooTable* table, AttrNumber attnum) noexcept {
    if (attnum < 1 || attnum > table->natts) return nullptr;
    const WooColumn* col = &table->columns[attnum - 1];
    if (col->dropped || col->source == wcfdw::ColumnSource::WholeObject || col->kind == wcfdw::ColumnType::Jsonb)
        return nullptr;
    const wcfdw::FilterSpec* f = nullptr;
    try {
        f = wcfdw::find_filter(*table->resource, col->field);
    } catch (...) {
        return nullptr;
    }
    if (!f) return nullptr;
    // The arrays filter through their filter columns only (category, product);
    // a parameter only through its column.
    const bool array_filter = wcfdw::find_array_filter_field(*table->resource, f->field) != nullptr;
    if (array_filter != (col->source == wcfdw::ColumnSource::TermFilter)) return nullptr;
    if ((f->kind == wcfdw::FilterKind::Param) != (col->source == wcfdw::ColumnSource::QueryParam)) return nullptr;
    const bool integer = col->kind == wcfdw::ColumnType::BigInt || col->kind == wcfdw::ColumnType::Integer;
    const bool text = col->kind == wcfdw::ColumnType::Text;
    switch (f->kind) {
    case wcfdw::FilterKind::Id:
        if (!(table->resource->key_type == wcfdw::KeyType::Text ? text : integer)) return nullptr;
        break;
    case wcfdw::FilterKind::PathParent:
        if (!(table->resource->parent_type == wcfdw::KeyType::Text ? text : integer)) return nullptr;
        break;
    case wcfdw::FilterKind::Bool:
        if (col->kind != wcfdw::ColumnType::Boolean) return nullptr;
        break;
    case wcfdw::FilterKind::DateRange:
        if (col->kind != wcfdw::ColumnType::TimestampTz) return nullptr;
        break;
    default: break;
    }
    return f;
}

}  // namespace wcfdw::pg
