// PostgreSQL option lists (DefElem lists from the catalogs) as plain C
// arrays, so C++ code can read them without calling PostgreSQL.
#pragma once

#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

struct FlatOptions {
    int count = 0;
    const char** names = nullptr;
    const char** values = nullptr;
};

// Call from a frame without C++ objects: it pallocs and may raise.
FlatOptions flatten_options(List* options);

}  // namespace wcfdw::pg
