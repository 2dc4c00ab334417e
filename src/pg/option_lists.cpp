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

}  // namespace wcfdw::pg
