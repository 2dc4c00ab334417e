// IMPORT FOREIGN SCHEMA woocommerce FROM SERVER s INTO local_schema: one
// foreign table per resource of the catalogue the store publishes, typed
// from the schema the store itself publishes (OPTIONS on each collection,
// asked in parallel), so that fields plugins add show up as columns too. A
// route the store does not have (404 rest_no_route: brands before
// WooCommerce 9.6, a disabled feature) is skipped with a NOTICE, or is an
// error when LIMIT TO names it.
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
    bool not_null;      // the key
};

struct ImportedTable {
    const char* name;
    bool published;     // false: the store has no such route
    int ncolumns;
    ImportedColumn* columns;
};

bool listed(ImportForeignSchemaStmt* stmt, const char* name) {
    ListCell* lc;
    foreach (lc, stmt->table_list) {
        RangeVar* rv = lfirst_node(RangeVar, lc);
        if (strcmp(rv->relname, name) == 0) return true;
    }
    return false;
}

bool wanted(ImportForeignSchemaStmt* stmt, const char* name) {
    if (stmt->list_type == FDW_IMPORT_SCHEMA_ALL) return true;
    return stmt->list_type == FDW_IMPORT_SCHEMA_LIMIT_TO ? listed(stmt, name) : !listed(stmt, name);
}

// Names in LIMIT TO / EXCEPT must be resources: a typo would silently import nothing.
void check_table_names(ImportForeignSchemaStmt* stmt) {
    ListCell* lc;
    foreach (lc, stmt->table_list) {
        RangeVar* rv = lfirst_node(RangeVar, lc);
        bool known = false;
        char* names = nullptr;
        PendingError pending;
        if (!run_cpp(pending, [&] {
                known = wcfdw::find_resource(rv->relname) != nullptr;
                if (!known) names = pstrdup_guarded(wcfdw::resource_names());
            }))
            raise_pending_error(pending);
        if (!known)
            ereport(ERROR, (errcode(ERRCODE_FDW_TABLE_NOT_FOUND),
                            errmsg("a WooCommerce store has no table \"%s\"", rv->relname),
                            errhint("Tables: %s.", names)));
    }
}

// The resources to import (C strings, decided before any C++ work).
List* selected_resources(ImportForeignSchemaStmt* stmt) {
    int n = 0;
    const char** names = nullptr;
    PendingError pending;
    if (!run_cpp(pending, [&] {
            const auto& all = wcfdw::all_resources();
            names = static_cast<const char**>(pg_call(palloc0, sizeof(char*) * (all.size() + 1)));
            for (const auto& r : all) names[n++] = r.name;  // static strings of the catalogue
        }))
        raise_pending_error(pending);
    List* out = NIL;
    for (int i = 0; i < n; ++i)
        if (wanted(stmt, names[i])) out = lappend(out, const_cast<char*>(names[i]));
    return out;
}

// OPTIONS on every selected collection, in parallel; the tables' columns.
ImportedTable* describe_tables(const StoreLink& link, List* names, int* ntables) {
    const auto deadline = statement_deadline();
    const int n = list_length(names);
    const char** wanted_names = static_cast<const char**>(palloc0(sizeof(char*) * (n + 1)));
    ListCell* lc;
    int k = 0;
    foreach (lc, names) wanted_names[k++] = static_cast<const char*>(lfirst(lc));
    ImportedTable* tables = static_cast<ImportedTable*>(palloc0(sizeof(ImportedTable) * (n + 1)));
    PendingError pending;
    if (!run_cpp(pending, [&] {
            auto client = store_client_for(link);
            DeadlineScope scope(*client, deadline);
            std::vector<const wcfdw::ResourceInfo*> resources;
            std::vector<wcfdw::HttpRequest> requests;
            for (int i = 0; i < n; ++i) {
                const wcfdw::ResourceInfo* info = wcfdw::find_resource(wanted_names[i]);
                // The schema of a nested collection does not depend on its
                // parent; any key routes.
                wcfdw::ScanRequest probe;
                probe.path = info->path;
                resources.push_back(info);
                requests.push_back(client->make_request(wcfdw::HttpMethod::Options, wcfdw::request_path(probe, "1")));
            }
            // Settled: a route the store lacks must not hide the others.
            std::vector<wcfdw::StoreClient::Settled> answers = client->send_all_settled(requests);
            for (std::size_t i = 0; i < resources.size(); ++i) {
                ImportedTable& t = tables[i];
                t.name = resources[i]->name;
                if (answers[i].failed) {
                    if (answers[i].error.http_status == 404 && answers[i].error.woo_code == "rest_no_route") continue;
                    throw answers[i].error;
                }
                t.published = true;
                const auto columns = wcfdw::columns_from_schema(*resources[i], answers[i].response.http.body);
                t.ncolumns = static_cast<int>(columns.size());
                t.columns = static_cast<ImportedColumn*>(pg_call(palloc0, sizeof(ImportedColumn) * (columns.size() + 1)));
                for (std::size_t c = 0; c < columns.size(); ++c) {
                    t.columns[c].name = pstrdup_guarded(columns[c].name);
                    t.columns[c].type = wcfdw::column_type_sql(columns[c].type);
                    t.columns[c].field = columns[c].field.empty() ? nullptr : pstrdup_guarded(columns[c].field);
                    t.columns[c].not_null = resources[i]->key_type != wcfdw::KeyType::None &&
                                            resources[i]->key_field && columns[c].name == resources[i]->key_field;
                }
            }
        }))
        raise_pending_error(pending);
    *ntables = n;
    return tables;
}

char* create_table_sql(const ImportedTable& t, const char* server_name) {
    StringInfoData sql;
    initStringInfo(&sql);
    appendStringInfo(&sql, "CREATE FOREIGN TABLE %s (\n", quote_identifier(t.name));
    for (int c = 0; c < t.ncolumns; ++c) {
        const ImportedColumn& col = t.columns[c];
        appendStringInfo(&sql, "  %s %s", quote_identifier(col.name), col.type);
        if (col.field) appendStringInfo(&sql, " OPTIONS (field %s)", quote_literal_cstr(col.field));
        if (col.not_null) appendStringInfoString(&sql, " NOT NULL");
        appendStringInfoString(&sql, c + 1 < t.ncolumns ? ",\n" : "\n");
    }
    appendStringInfo(&sql, ") SERVER %s OPTIONS (resource %s)", quote_identifier(server_name),
                     quote_literal_cstr(t.name));
    return sql.data;
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
    check_table_names(stmt);
    List* names = selected_resources(stmt);
    if (names == NIL) return NIL;

    const StoreLink link = lookup_store_link(serverid, GetUserId());
    int ntables = 0;
    ImportedTable* tables = describe_tables(link, names, &ntables);

    List* commands = NIL;
    ForeignServer* server = GetForeignServer(serverid);
    for (int i = 0; i < ntables; ++i) {
        const ImportedTable& t = tables[i];
        if (!t.published) {
            if (stmt->list_type == FDW_IMPORT_SCHEMA_LIMIT_TO)
                ereport(ERROR, (errcode(ERRCODE_FDW_TABLE_NOT_FOUND),
                                errmsg("the store publishes no route for table \"%s\"", t.name),
                                errdetail("OPTIONS on its collection answered 404 rest_no_route."),
                                errhint("Update WooCommerce, or enable the feature or plugin that serves it; "
                                        "then import it again.")));
            ereport(NOTICE, (errmsg("skipping table \"%s\": the store publishes no route for it", t.name)));
            continue;
        }
        for (int c = 0; c < t.ncolumns; ++c) name_columns_for_database(&t, &t.columns[c]);
        commands = lappend(commands, create_table_sql(t, server->servername));
    }
    return commands;
}

}  // namespace wcfdw::pg
