// Included last by every header and source file of the core. The core is
// plain C++17 and must stay free of PostgreSQL: its errors are exceptions,
// PostgreSQL's are longjmps, and mixing them in one frame is how destructors
// get skipped. This stops the build when postgres.h (or c.h) was seen first:
// either a core file included PostgreSQL, or a file of src/pg included a
// core header after PostgreSQL's (src/pg includes core headers first,
// pg/postgres_headers.hpp last; see DEVELOPERS.md).
#pragma once
#if defined(POSTGRES_H) || defined(C_H) || defined(PG_VERSION_NUM)
#error "src/core must not see PostgreSQL headers: include core headers before pg/postgres_headers.hpp"
#endif
