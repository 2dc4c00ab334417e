# woocommerce_fdw: built with PGXS. The same src/core sources are also built
# by CMake (CMakeLists.txt) together with their GoogleTest unit tests.

EXTENSION   = woocommerce_fdw
MODULE_big  = woocommerce_fdw
EXTVERSION  = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" woocommerce_fdw.control)

CORE_SRCS   = $(sort $(wildcard src/core/*/*.cpp))
PG_SRCS     = $(sort $(wildcard src/pg/*.cpp))
OBJS        = $(CORE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)

# The install script is assembled from parts, one concern each, in this
# order. 1.0's install script is kept as shipped (src/sql/$(EXTENSION)--1.0.sql)
# so that CREATE EXTENSION ... VERSION '1.0' and the upgrade path keep
# working; the parts added since 1.0 are, concatenated, also the 1.0 -> 1.1
# upgrade script (sql/20_sync_upgrade checks that both roads give the same
# objects); likewise 1.2's parts are the 1.1 -> 1.2 upgrade script. Other upgrade scripts (src/sql/$(EXTENSION)--A--B.sql) are
# installed as they are.
SQL_PARTS_1_0 = src/sql/fdw.sql src/sql/product_fields.sql src/sql/management.sql
SQL_PARTS_1_1 = src/sql/sync.sql
# 1.2's parts: one file per concern under src/sql/1.2/, applied in name
# order, each written as a migration over 1.1 (ALTER, CREATE OR REPLACE).
SQL_PARTS_1_2 = $(sort $(wildcard src/sql/1.2/*.sql))
SQL_PARTS   = $(SQL_PARTS_1_0) $(SQL_PARTS_1_1) $(SQL_PARTS_1_2)
DATA_built  = build/sql/$(EXTENSION)--$(EXTVERSION).sql build/sql/$(EXTENSION)--1.0--1.1.sql \
              build/sql/$(EXTENSION)--1.1--1.2.sql
DATA        = src/sql/$(EXTENSION)--1.0.sql $(sort $(wildcard src/sql/$(EXTENSION)--*--*.sql))
DOCS        = README.md

# pg_regress suites: every sql/*.sql, in name order. They need the test
# store; test/run_tests.sh starts it (see README, "Running the tests").
REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --inputdir=. --outputdir=build/regress

PG_CONFIG  ?= pg_config
PG_INCLUDE := $(shell $(PG_CONFIG) --includedir-server)

# PostgreSQL's headers are system headers to us: our own sources are held to
# -Wall -Wextra -Werror, the server's headers are not ours to fix.
PG_CPPFLAGS = -Isrc -isystem $(PG_INCLUDE)
PG_CXXFLAGS = -std=c++17 -Wall -Wextra -Werror
SHLIB_LINK  = -lcurl -lcrypto -lmicrohttpd -lstdc++

EXTRA_CLEAN = build

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Header dependencies (PGXS tracks them only in --enable-depend builds).
override CXXFLAGS += -MMD -MP
-include $(OBJS:.o=.d)
EXTRA_CLEAN += $(OBJS:.o=.d)

# The bitcode step (clang) compiles C++ with its own flags.
override BITCODE_CXXFLAGS += -std=c++17

build/sql/$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS) woocommerce_fdw.control
	@mkdir -p $(dir $@)
	cat $(SQL_PARTS) > $@

build/sql/$(EXTENSION)--1.0--1.1.sql: $(SQL_PARTS_1_1)
	@mkdir -p $(dir $@)
	{ printf '%s\n' '\echo Use "ALTER EXTENSION $(EXTENSION) UPDATE" to load this file. \quit'; cat $(SQL_PARTS_1_1) ; } > $@

build/sql/$(EXTENSION)--1.1--1.2.sql: $(SQL_PARTS_1_2)
	@mkdir -p $(dir $@)
	{ printf '%s\n' '\echo Use "ALTER EXTENSION $(EXTENSION) UPDATE" to load this file. \quit'; cat $(SQL_PARTS_1_2) ; } > $@

# Build-time boundary check: no file of the core may include PostgreSQL.
# (core/base/pure_cpp.hpp catches it inside a translation unit too, and CMake
# builds the core without PostgreSQL's include path.)
check-boundary:
	@if grep -rnE '#\s*include\s*[<"](postgres|c|fmgr|postgres_ext)\.h[>"]|#\s*include\s*"pg/' src/core; then \
		echo "src/core must not include PostgreSQL headers or src/pg" >&2; exit 1; fi

$(OBJS): | check-boundary

.PHONY: check-boundary
