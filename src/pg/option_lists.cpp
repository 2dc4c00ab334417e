#include "pg/option_lists.hpp"

namespace wcfdw::pg {

FlatOptions flatten_options(List* options) {
    FlatOptions flat;
    flat.count = list_length(options);
    flat.names = static_cast<const char**>(palloc0(sizeof(char*) * (flat.count + 1)));
    flat.values = static_cast<const char**>(palloc0(sizeof(char*) * (flat.count + 1)));
    int i = 0;
    ListCell* cell;
    foreach (cell, options) {
        DefElem* def = static_cast<DefElem*>(lfirst(cell));
        flat.names[i] = def->defname;
        flat.values[i] = defGetString(def);
        ++i;
    }
    return flat;
}

const char* flat_option(const FlatOptions& options, const char* name, const char* fallback) noexcept {
    for (int i = 0; i < options.count; ++i)
        if (strcmp(options.names[i], name) == 0) return options.values[i];
    return fallback;
}

ForeignServer* woocommerce_server(const char* name) {
    ForeignServer* server = GetForeignServerByName(name, false);
    ForeignDataWrapper* wrapper = GetForeignDataWrapper(server->fdwid);
    if (strcmp(wrapper->fdwname, "woocommerce_fdw") != 0)
        ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
                        errmsg("server \"%s\" does not use the woocommerce_fdw foreign-data wrapper", name)));
    return server;
}

}  // namespace wcfdw::pg
