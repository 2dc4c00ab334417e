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

// The value of option `name`, or `fallback` when it is not set.
const char* flat_option(const FlatOptions& options, const char* name, const char* fallback = nullptr) noexcept;

// The foreign server `name`; raises 42809 when it belongs to another wrapper.
ForeignServer* woocommerce_server(const char* name);

}  // namespace wcfdw::pg
