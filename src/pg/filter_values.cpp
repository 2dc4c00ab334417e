#include "pg/filter_values.hpp"

#include "pg/text_encoding.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

const char* filter_value_text(Datum value, Oid type) {
    switch (type) {
    case TIMESTAMPTZOID:
    case TIMESTAMPOID: {
        const Timestamp ts = DatumGetTimestamp(value);
        if (TIMESTAMP_NOT_FINITE(ts)) return nullptr;
        const int64 micros = ts + (int64)(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;
        return psprintf(INT64_FORMAT, micros);
    }
    case BOOLOID: return DatumGetBool(value) ? "true" : "false";
    default: {
        Oid output;
        bool varlena;
        getTypeOutputInfo(type, &output, &varlena);
        // The store compares UTF-8: a value the store could never match
        // (not UTF-8 in a SQL_ASCII database) stays a local condition.
        const char* text = OidOutputFunctionCall(output, value);
        return server_text_to_store_or_null(text, static_cast<int>(strlen(text)));
    }
    }
}

void set_filter_values(FilterValues* out, Datum value, bool isnull, Oid type, bool is_array) {
    out->nvalues = 0;
    out->values = nullptr;
    out->never_true = false;
    if (isnull) {
        out->never_true = true;  // col = NULL, col = ANY(NULL): never true
        return;
    }
    if (!is_array) {
        const char* text = filter_value_text(value, type);
        if (!text) {
            out->known = false;  // cannot be expressed to the store: leave it to the recheck
            return;
        }
        out->values = static_cast<const char**>(palloc(sizeof(char*)));
        out->values[0] = text;
        out->nvalues = 1;
        return;
    }
    ArrayType* array = DatumGetArrayTypeP(value);
    const Oid element = ARR_ELEMTYPE(array);
    int16 typlen;
    bool typbyval;
    char typalign;
    get_typlenbyvalalign(element, &typlen, &typbyval, &typalign);
    Datum* elems;
    bool* nulls;
    int n;
    deconstruct_array(array, element, typlen, typbyval, typalign, &elems, &nulls, &n);
    out->values = static_cast<const char**>(palloc(sizeof(char*) * (n > 0 ? n : 1)));
    for (int i = 0; i < n; ++i) {
        if (nulls[i]) continue;  // = ANY('{1,NULL}') matches 1 only
        const char* text = filter_value_text(elems[i], element);
        if (!text) {
            out->known = false;
            out->nvalues = 0;
            return;
        }
        out->values[out->nvalues++] = text;
    }
    if (out->nvalues == 0) out->never_true = true;
}

wcfdw::ScanPlan build_scan_plan(const WooTable* table, const FilterValues* conditions, int nconditions,
                                const char* const* fields, int nfields, long limit) {
    std::vector<wcfdw::ScanCondition> conds;
    bool never = false;
    bool all_pushed = true;
    for (int i = 0; i < nconditions; ++i) {
        const FilterValues& c = conditions[i];
        if (c.never_true) never = true;
        const wcfdw::FilterSpec* f = wcfdw::find_filter(*table->resource, c.field);
        if (!f) continue;
        if (!c.known && c.nvalues == 0) {
            all_pushed = false;
            continue;
        }
        wcfdw::ScanCondition sc;
        sc.filter = f;
        sc.op = static_cast<wcfdw::CondOp>(c.op);
        sc.known = c.known;
        for (int v = 0; v < c.nvalues; ++v) sc.values.emplace_back(c.values[v]);
        conds.push_back(std::move(sc));
    }
    wcfdw::ScanSettings settings;
    for (int i = 0; i < nfields; ++i) settings.fields.emplace_back(fields[i]);
    settings.limit = all_pushed ? limit : -1;
    wcfdw::ScanPlan plan = wcfdw::plan_scan(*table->resource, conds, settings);
    if (never) plan.empty = true;
    if (!all_pushed) plan.exact = false;
    return plan;
}

}  // namespace wcfdw::pg
