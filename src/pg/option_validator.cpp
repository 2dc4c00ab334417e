// The validator function of the foreign-data wrapper: PostgreSQL calls it
// with the complete option list of a wrapper, server, user mapping, foreign
// table or column whenever one is created or altered. The rules themselves
// live in core/options.cpp; this file only translates catalogs and lists.
#include "core/woo/options.hpp"

#include "pg/error_bridge.hpp"
#include "pg/option_lists.hpp"
#include "pg/postgres_headers.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(woocommerce_fdw_validator);
}

namespace {

bool catalog_for(Oid catalog, wcfdw::OptionCatalog* out) {
    switch (catalog) {
    case ForeignDataWrapperRelationId: *out = wcfdw::OptionCatalog::Wrapper; return true;
    case ForeignServerRelationId: *out = wcfdw::OptionCatalog::Server; return true;
    case UserMappingRelationId: *out = wcfdw::OptionCatalog::UserMapping; return true;
    case ForeignTableRelationId: *out = wcfdw::OptionCatalog::ForeignTable; return true;
    case AttributeRelationId: *out = wcfdw::OptionCatalog::Column; return true;
    default: return false;
    }
}

}  // namespace

extern "C" Datum woocommerce_fdw_validator(PG_FUNCTION_ARGS) {
    List* options = untransformRelOptions(PG_GETARG_DATUM(0));
    Oid catalog_oid = PG_GETARG_OID(1);
    wcfdw::OptionCatalog catalog;
    if (!catalog_for(catalog_oid, &catalog))
        ereport(ERROR, (errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
                        errmsg("woocommerce_fdw options are not valid in catalog %u", catalog_oid)));

    // Flattened here, in a frame without C++ objects, because it can raise.
    const wcfdw::pg::FlatOptions flat = wcfdw::pg::flatten_options(options);

    wcfdw::pg::PendingError pending;
    if (!wcfdw::pg::run_cpp(pending, [&] {
            wcfdw::OptionList list;
            for (int k = 0; k < flat.count; ++k) list.emplace_back(flat.names[k], flat.values[k]);
            wcfdw::validate_options(catalog, list);
        }))
        wcfdw::pg::raise_pending_error(pending);
    PG_RETURN_VOID();
}
