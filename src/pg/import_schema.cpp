// IMPORT FOREIGN SCHEMA woocommerce FROM SERVER s INTO local_schema: one
// foreign table per resource, typed from the schema the store publishes
// (OPTIONS on each collection, asked in parallel), so that fields plugins
// add show up as columns too.
#include <string>
#include <vector>

#include "core/woo/resources.hpp"
#include "core/scan/scan_plan.hpp"
#include "core/woo/store_client.hpp"
#include "core/woo/table_schema.hpp"
#include "pg/error_bridge.hpp"
#include "pg/fdw_callbacks.hpp"
#include "pg/interrupts.hpp"
#include "pg/store_cache.hpp"
#include "pg/text_encoding.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

namespace {

// The column list of one table as plain C data, for the SQL text.
struct ImportedColumn {
    const char* name;
    const char* type;
    const char* field;  // nullptr when equal to name
};

struct ImportedTable {
    const char* name;
    int ncolumns;
    ImportedColumn* columns;
};

bool wanted(ImportForeignSchemaStmt* stmt, const char* name) {
    if (stmt->list_type == FDW_IMPORT_SCHEMA_ALL) return true;
    bool listed = false;
    ListCell* lc;
    foreach (lc, stmt->table_list) {
        RangeVar* rv = lfirst_node(RangeVar, lc);
        if (strcmp(rv->relname, name) == 0) listed = true;
    }
    return stmt->list_type == FDW_IMPORT_SCHEMA_LIMIT_TO ? listed : !listed;
}

// The store names columns (plugins' fields too) in UTF-8; the CREATE
// FOREIGN TABLE commands are in the database encoding.
void name_columns_for_database(const ImportedTable* table, ImportedColumn* col) {
    const char* place = psprintf("column \"%s\" of the store's schema of %s", store_message_to_server(col->name),
                                 table->name);
    // The same characters in the database encoding name the same member:
    // foreign tables convert names and field options back to UTF-8.
    int len;
    col->name = store_text_to_server(col->name, static_cast<int>(strlen(col->name)), &len, TextOrigin{place, nullptr, 0});
    if (col->field)
        col->field = store_text_to_server(col->field, static_cast<int>(strlen(col->field)), &len,
                                          TextOrigin{place, nullptr, 0});
}

}  // namespace

List* import_foreign_schema(ImportForeignSchemaStmt* stmt, Oid serverid) {
    if (strcmp(stmt->remote_schema, "woocommerce") != 0)
        ereport(ERROR, (errcode(ERRCODE_FDW_SCHEMA_NOT_FOUND),
                        errmsg("a WooCommerce store has no schema \"%s\"", stmt->remote_schema),
                        errhint("Use IMPORT FOREIGN SCHEMA woocommerce FROM SERVER ... INTO ...")));
    // Names in LIMIT TO / EXCEPT must be resources: a typo would silently import nothing.
    {
        ListCell* lc;
        foreach (lc, stmt->table_list) {
            RangeVar* rv = lfirst_node(RangeVar, lc);
            bool known = false;
            PendingError pending;
            if (!run_cpp(pending, [&] { known = wcfdw::find_resource(rv->relname) != nullptr; }))
                raise_pending_error(pending);
            if (!known)
                ereport(ERROR, (errcode(ERRCODE_FDW_TABLE_NOT_FOUND),
                                errmsg("a WooCommerce store has no table \"%s\"", rv->relname),
                                errhint("Tables: products, variations, categories, tags, attributes, "
                                        "attribute_terms, orders, customers.")));
        }
    }

    const StoreLink link = lookup_store_link(serverid, GetUserId());
    const auto deadline = statement_deadline();
    ImportedTable* tables = nullptr;
    int ntables = 0;
    // Which resources, decided here in C so the C++ part sees plain flags.
    const int nresources = 8;
    bool selected[nresources];
    const char* names[nresources] = {"products",   "variations",      "categories", "tags",
                                     "attributes", "attribute_terms", "orders",     "customers"};
    for (int r = 0; r < nresources; ++r) selected[r] = wanted(stmt, names[r]);

    PendingError pending;
    if (!run_cpp(pending, [&] {
            auto client = store_client_for(link);
            DeadlineScope scope(*client, deadline);
            std::vector<const wcfdw::ResourceInfo*> resources;
            std::vector<wcfdw::HttpRequest> requests;
            for (int r = 0; r < nresources; ++r) {
                if (!selected[r]) continue;
                const wcfdw::ResourceInfo* info = wcfdw::find_resource(names[r]);
                wcfdw::ScanRequest probe;
                probe.path = info->path;
                // The schema of a nested collection does not depend on its
                // parent; any id routes.
                resources.push_back(info);
                requests.push_back(client->make_request(wcfdw::HttpMethod::Options, wcfdw::request_path(probe, 1)));
            }
            std::vector<wcfdw::StoreResponse> answers = client->send_all(requests);
            tables = static_cast<ImportedTable*>(
                pg_call(palloc0, sizeof(ImportedTable) * (resources.size() + 1)));
            for (std::size_t i = 0; i < resources.size(); ++i) {
                const auto columns = wcfdw::columns_from_schema(*resources[i], answers[i].http.body);
                ImportedTable& t = tables[ntables++];
                t.name = resources[i]->name;
                t.ncolumns = static_cast<int>(columns.size());
                t.columns = static_cast<ImportedColumn*>(pg_call(palloc0, sizeof(ImportedColumn) * (columns.size() + 1)));
                for (std::size_t c = 0; c < columns.size(); ++c) {
                    t.columns[c].name = pstrdup_guarded(columns[c].name);
                    t.columns[c].type = wcfdw::column_type_sql(columns[c].type);
                    t.columns[c].field = columns[c].field.empty() ? nullptr : pstrdup_guarded(columns[c].field);
                }
            }
        }))
        raise_pending_error(pending);

    List* commands = NIL;
    ForeignServer* server = GetForeignServer(serverid);
    for (int i = 0; i < ntables; ++i) {
        ImportedTable& t = tables[i];
        for (int c = 0; c < t.ncolumns; ++c) name_columns_for_database(&t, &t.columns[c]);
        StringInfoData sql;
        initStringInfo(&sql);
        appendStringInfo(&sql, "CREATE FOREIGN TABLE %s (\n", quote_identifier(t.name));
        for (int c = 0; c < t.ncolumns; ++c) {
            const ImportedColumn& col = t.columns[c];
            appendStringInfo(&sql, "  %s %s", quote_identifier(col.name), col.type);
            if (col.field) appendStringInfo(&sql, " OPTIONS (field %s)", quote_literal_cstr(col.field));
            if (strcmp(col.name, "id") == 0) appendStringInfoString(&sql, " NOT NULL");
            appendStringInfoString(&sql, c + 1 < t.ncolumns ? ",\n" : "\n");
        }
        appendStringInfo(&sql, ") SERVER %s OPTIONS (resource %s)", quote_identifier(server->servername),
                         quote_literal_cstr(t.name));
        commands = lappend(commands, sql.data);
    }
    return commands;
}

}  // namespace wcfdw::pg
