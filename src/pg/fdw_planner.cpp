// Planning a scan of a woocommerce_fdw foreign table: which conditions the
// store can apply (they all stay as local quals too, so a store filter only
// ever narrows to a superset), the parameterized paths that turn joins on
// ids into lookups, the count(*) path answered by X-WP-Total, and costs that
// count requests, the thing that is slow.
#include <cstring>

#include "core/scan/scan_cursor.hpp"
#include "core/woo/table_schema.hpp"  // nlohmann before PostgreSQL's headers

#include "pg/error_bridge.hpp"
#include "pg/fdw_callbacks.hpp"
#include "pg/fdw_private.hpp"
#include "pg/filter_values.hpp"
#include "pg/foreign_table.hpp"
#include "pg/interrupts.hpp"
#include "pg/store_cache.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

namespace {

// Cost model: a request costs what fetching a hundred rows locally would,
// many times over; rows are cheap once here.
constexpr double kStartupCost = 25.0;
constexpr double kRequestCost = 100.0;
constexpr double kRowsPerRequest = 100.0;
constexpr double kDefaultRows = 1000.0;

struct WooRelInfo {
    WooTable* table;
    Bitmapset* attrs_used;      // offset by FirstLowInvalidHeapAttributeNumber
    bool whole_object;          // attrs or a whole-row reference: fetch everything
    List* pushed;               // RestrictInfos the store can apply
    List* local_only;           // RestrictInfos only PostgreSQL can check
    double requests;            // estimated requests of the plain scan
};

// The part of a condition the planner recognised.
struct ClauseMatch {
    AttrNumber attnum;
    const wcfdw::FilterSpec* filter;
    wcfdw::CondOp op;
    Expr* value;
    bool is_array;
};

Expr* strip(Expr* e) {
    while (e && IsA(e, RelabelType)) e = reinterpret_cast<RelabelType*>(e)->arg;
    return e;
}

bool is_rel_var(Expr* e, RelOptInfo* rel) {
    e = strip(e);
    if (!e || !IsA(e, Var)) return false;
    Var* v = reinterpret_cast<Var*>(e);
    return v->varno == static_cast<int>(rel->relid) && v->varlevelsup == 0 && v->varattno > 0;
}

// A value the scan can compute before fetching: no column of this table,
// nothing volatile, no subplan.
bool is_outside_value(PlannerInfo* root, Expr* e, RelOptInfo* rel) {
    if (bms_is_member(rel->relid, pull_varnos(root, reinterpret_cast<Node*>(e)))) return false;
    if (contain_volatile_functions(reinterpret_cast<Node*>(e))) return false;
    if (contain_subplans(reinterpret_cast<Node*>(e))) return false;
    return true;
}

bool op_from_name(const char* name, wcfdw::CondOp* op) {
    if (strcmp(name, "=") == 0) *op = wcfdw::CondOp::Eq;
    else if (strcmp(name, "<") == 0) *op = wcfdw::CondOp::Lt;
    else if (strcmp(name, "<=") == 0) *op = wcfdw::CondOp::Le;
    else if (strcmp(name, ">") == 0) *op = wcfdw::CondOp::Gt;
    else if (strcmp(name, ">=") == 0) *op = wcfdw::CondOp::Ge;
    else if (strcmp(name, "~~*") == 0 || strcmp(name, "~~") == 0) *op = wcfdw::CondOp::Contains;
    else return false;
    return true;
}

wcfdw::CondOp commute(wcfdw::CondOp op) {
    switch (op) {
    case wcfdw::CondOp::Lt: return wcfdw::CondOp::Gt;
    case wcfdw::CondOp::Le: return wcfdw::CondOp::Ge;
    case wcfdw::CondOp::Gt: return wcfdw::CondOp::Lt;
    case wcfdw::CondOp::Ge: return wcfdw::CondOp::Le;
    default: return op;
    }
}

// '%word%' without other wildcards or escapes -> Const 'word'; else nullptr.
Expr* contains_pattern(Expr* e) {
    e = strip(e);
    if (!e || !IsA(e, Const)) return nullptr;
    Const* c = reinterpret_cast<Const*>(e);
    if (c->constisnull || (c->consttype != TEXTOID && c->consttype != VARCHAROID)) return nullptr;
    const char* s = TextDatumGetCString(c->constvalue);
    const size_t n = strlen(s);
    if (n < 3 || s[0] != '%' || s[n - 1] != '%') return nullptr;
    for (size_t i = 1; i + 1 < n; ++i)
        if (s[i] == '%' || s[i] == '_' || s[i] == '\\') return nullptr;
    char* inner = pnstrdup(s + 1, n - 2);
    return reinterpret_cast<Expr*>(
        makeConst(TEXTOID, -1, DEFAULT_COLLATION_OID, -1, CStringGetTextDatum(inner), false, false));
}

// Values the store sees as text: a bigint column compared with an integer
// constant (id = 11 is int8 = int4) is fine, a timestamp without time zone
// compared with timestamptz is not (its meaning depends on TimeZone).
bool same_family(Oid a, Oid b) {
    auto integer = [](Oid t) { return t == INT2OID || t == INT4OID || t == INT8OID; };
    auto text = [](Oid t) { return t == TEXTOID || t == VARCHAROID || t == BPCHAROID; };
    return a == b || (integer(a) && integer(b)) || (text(a) && text(b));
}

bool op_fits(const wcfdw::FilterSpec* f, wcfdw::CondOp op) {
    switch (f->kind) {
    case wcfdw::FilterKind::DateRange: return op != wcfdw::CondOp::Eq && op != wcfdw::CondOp::Contains;
    case wcfdw::FilterKind::Search: return op == wcfdw::CondOp::Contains;
    default: return op == wcfdw::CondOp::Eq || op == wcfdw::CondOp::In;
    }
}

bool match_clause(PlannerInfo* root, RelOptInfo* rel, const WooTable* table, Expr* clause, ClauseMatch* m) {
    m->is_array = false;
    if (IsA(clause, Var) || (IsA(clause, BoolExpr) && reinterpret_cast<BoolExpr*>(clause)->boolop == NOT_EXPR)) {
        // WHERE featured / WHERE NOT featured
        bool negated = !IsA(clause, Var);
        Expr* arg = negated ? static_cast<Expr*>(linitial(reinterpret_cast<BoolExpr*>(clause)->args)) : clause;
        if (!is_rel_var(arg, rel)) return false;
        Var* v = reinterpret_cast<Var*>(strip(arg));
        if (v->vartype != BOOLOID) return false;
        m->attnum = v->varattno;
        m->op = wcfdw::CondOp::Eq;
        m->value = reinterpret_cast<Expr*>(makeBoolConst(!negated, false));
    } else if (IsA(clause, OpExpr)) {
        OpExpr* op = reinterpret_cast<OpExpr*>(clause);
        if (list_length(op->args) != 2 || op->opno >= FirstNormalObjectId) return false;
        Expr* left = static_cast<Expr*>(linitial(op->args));
        Expr* right = static_cast<Expr*>(lsecond(op->args));
        char* name = get_opname(op->opno);
        if (!name || !op_from_name(name, &m->op)) return false;
        Expr* var_side;
        Expr* value;
        if (is_rel_var(left, rel) && is_outside_value(root, right, rel)) {
            var_side = left;
            value = right;
        } else if (is_rel_var(right, rel) && is_outside_value(root, left, rel) && m->op != wcfdw::CondOp::Contains) {
            var_side = right;
            value = left;
            m->op = commute(m->op);
        } else {
            return false;
        }
        Var* v = reinterpret_cast<Var*>(strip(var_side));
        m->attnum = v->varattno;
        if (m->op == wcfdw::CondOp::Contains) {
            value = contains_pattern(value);
            if (!value) return false;
        } else if (!same_family(exprType(reinterpret_cast<Node*>(strip(value))), v->vartype)) {
            return false;  // cross-type comparison: leave it to PostgreSQL
        }
        m->value = value;
    } else if (IsA(clause, ScalarArrayOpExpr)) {
        ScalarArrayOpExpr* sa = reinterpret_cast<ScalarArrayOpExpr*>(clause);
        if (!sa->useOr || sa->opno >= FirstNormalObjectId || list_length(sa->args) != 2) return false;
        char* name = get_opname(sa->opno);
        if (!name || strcmp(name, "=") != 0) return false;
        Expr* left = static_cast<Expr*>(linitial(sa->args));
        Expr* right = static_cast<Expr*>(lsecond(sa->args));
        if (!is_rel_var(left, rel) || !is_outside_value(root, right, rel)) return false;
        Var* v = reinterpret_cast<Var*>(strip(left));
        if (!same_family(get_element_type(exprType(reinterpret_cast<Node*>(right))), v->vartype)) return false;
        m->attnum = v->varattno;
        m->op = wcfdw::CondOp::In;
        m->value = right;
        m->is_array = true;
    } else {
        return false;
    }
    m->filter = column_filter(table, m->attnum);
    return m->filter && op_fits(m->filter, m->op);
}

// For EXPLAIN: what a run-time value is, e.g. {p.id}.
const char* value_label(PlannerInfo* root, Expr* e) {
    e = strip(e);
    if (IsA(e, Var)) {
        Var* v = reinterpret_cast<Var*>(e);
        RangeTblEntry* rte = planner_rt_fetch(v->varno, root);
        const char* col = (rte->rtekind == RTE_RELATION) ? get_attname(rte->relid, v->varattno, true) : nullptr;
        return psprintf("{%s.%s}", rte->eref->aliasname, col ? col : "?");
    }
    if (IsA(e, Param)) return psprintf("{$%d}", reinterpret_cast<Param*>(e)->paramid);
    // now() - interval '1 day': the expression itself, as EXPLAIN shows
    // expressions elsewhere.
    if (!contain_var_clause(reinterpret_cast<Node*>(e)))
        return psprintf("{%s}", deparse_expression(reinterpret_cast<Node*>(e), NIL, false, false));
    return "{value}";
}

List* condition_node(const ClauseMatch& m, int expr_index, const char* label) {
    return list_make5(makeString(pstrdup(m.filter->field)), makeInteger(static_cast<int>(m.op)),
                      makeInteger(expr_index), makeInteger(m.is_array ? 1 : 0), makeString(pstrdup(label)));
}

// Members the scan needs, for _fields; NIL when whole objects are needed.
List* needed_fields(const WooRelInfo* info) {
    if (info->whole_object) return NIL;
    List* fields = NIL;
    int x = -1;
    while ((x = bms_next_member(info->attrs_used, x)) >= 0) {
        const AttrNumber attnum = x + FirstLowInvalidHeapAttributeNumber;
        if (attnum <= 0 || attnum > info->table->natts) continue;
        const WooColumn* col = &info->table->columns[attnum - 1];
        if (col->dropped || col->source == wcfdw::ColumnSource::PathParent ||
            col->source == wcfdw::ColumnSource::QueryParam)
            continue;
        const char* dot = strchr(col->field, '.');
        char* top = dot ? pnstrdup(col->field, dot - col->field) : pstrdup(col->field);
        bool seen = false;
        ListCell* lc;
        foreach (lc, fields)
            if (strcmp(strVal(lfirst(lc)), top) == 0) seen = true;
        if (!seen) fields = lappend(fields, makeString(top));
    }
    return fields;
}

List* retrieved_attrs(const WooRelInfo* info) {
    List* attrs = NIL;
    for (int i = 1; i <= info->table->natts; ++i) {
        if (info->table->columns[i - 1].dropped) continue;
        if (bms_is_member(0 - FirstLowInvalidHeapAttributeNumber, info->attrs_used) ||
            bms_is_member(i - FirstLowInvalidHeapAttributeNumber, info->attrs_used))
            attrs = lappend_int(attrs, i);
    }
    return attrs;
}

// Estimated rows and requests from Const conditions.
void estimate(PlannerInfo* root, RelOptInfo* baserel, WooRelInfo* info) {
    double rows = kDefaultRows;
    bool parent_known = false;
    ListCell* lc;
    foreach (lc, info->pushed) {
        RestrictInfo* ri = lfirst_node(RestrictInfo, lc);
        ClauseMatch m;
        if (!match_clause(root, baserel, info->table, ri->clause, &m)) continue;
        double guess = rows;
        switch (m.filter->kind) {
        case wcfdw::FilterKind::Id:
            guess = 1;
            if (m.is_array && IsA(strip(m.value), Const) && !reinterpret_cast<Const*>(strip(m.value))->constisnull)
                guess = ArrayGetNItems(ARR_NDIM(DatumGetArrayTypeP(reinterpret_cast<Const*>(strip(m.value))->constvalue)),
                                       ARR_DIMS(DatumGetArrayTypeP(reinterpret_cast<Const*>(strip(m.value))->constvalue)));
            break;
        case wcfdw::FilterKind::PathParent: guess = 10; parent_known = true; break;
        case wcfdw::FilterKind::List: guess = strcmp(m.filter->field, "sku") == 0 ? 1 : 50; break;
        default: guess = rows / 5; break;
        }
        if (guess < rows) rows = guess;
    }
    if (rows < 1) rows = 1;
    double requests = ceil(rows / kRowsPerRequest);
    if (info->table->resource->parent_field && !parent_known && !info->table->resource->flat_path) {
        // Every parent's collection: one listing plus a request per parent.
        requests = 1 + kDefaultRows / 10;
    }
    info->requests = requests;
    baserel->rows = clamp_row_est(rows * clauselist_selectivity(root, info->local_only, baserel->relid, JOIN_INNER, NULL));
}

bool option_true(List* options, const char* name, bool* found) {
    ListCell* lc;
    foreach (lc, options) {
        DefElem* def = lfirst_node(DefElem, lc);
        if (strcmp(def->defname, name) == 0) {
            *found = true;
            return defGetBoolean(def);
        }
    }
    return false;
}

// use_remote_estimate (table option over server option): X-WP-Total for the
// constant conditions, with one per_page=1 request while planning.
void remote_estimate(PlannerInfo* root, RelOptInfo* baserel, WooRelInfo* info) {
    bool found = false;
    bool wanted = option_true(GetForeignTable(info->table->relid)->options, "use_remote_estimate", &found);
    if (!found) wanted = option_true(GetForeignServer(info->table->serverid)->options, "use_remote_estimate", &found);
    if (!wanted) return;
    const int n = list_length(info->pushed);
    FilterValues* values = static_cast<FilterValues*>(palloc0(sizeof(FilterValues) * (n > 0 ? n : 1)));
    int count = 0;
    ListCell* lc;
    foreach (lc, info->pushed) {
        RestrictInfo* ri = lfirst_node(RestrictInfo, lc);
        ClauseMatch m;
        if (!match_clause(root, baserel, info->table, ri->clause, &m)) continue;
        Expr* v = strip(m.value);
        if (!IsA(v, Const)) continue;
        Const* c = reinterpret_cast<Const*>(v);
        values[count].field = m.filter->field;
        values[count].op = static_cast<int>(m.op);
        values[count].known = true;
        set_filter_values(&values[count], c->constvalue, c->constisnull, c->consttype, m.is_array);
        if (values[count].known) ++count;
    }
    const Oid userid = OidIsValid(baserel->userid) ? baserel->userid : GetUserId();
    const StoreLink link = lookup_store_link(info->table->serverid, userid);
    const auto deadline = statement_deadline();
    double rows = -1;
    double requests = -1;
    PendingError pending;
    if (!run_cpp(pending, [&] {
            wcfdw::ScanPlan plan = build_scan_plan(info->table, values, count, nullptr, 0, -1);
            if (plan.empty) {
                rows = 1;
                requests = 0;
                return;
            }
            if (plan.expand_parents || plan.requests.size() != 1 || plan.requests.front().item) return;
            auto client = store_client_for(link);
            DeadlineScope scope(*client, deadline);
            wcfdw::ScanCursor cursor(*client, std::move(plan));
            rows = static_cast<double>(cursor.count(true));
            requests = ceil(rows / kRowsPerRequest);
        }))
        raise_pending_error(pending);
    if (rows < 0) return;
    info->requests = requests > 0 ? requests : 1;
    baserel->rows =
        clamp_row_est(rows * clauselist_selectivity(root, info->local_only, baserel->relid, JOIN_INNER, NULL));
}

bool ec_member_is_var(PlannerInfo*, RelOptInfo*, EquivalenceClass*, EquivalenceMember* em, void* arg) {
    return equal(strip(em->em_expr), arg);
}

}  // namespace

void get_rel_size(PlannerInfo* root, RelOptInfo* baserel, Oid relid) {
    WooRelInfo* info = static_cast<WooRelInfo*>(palloc0(sizeof(WooRelInfo)));
    baserel->fdw_private = info;
    info->table = load_woo_table(relid);
    pull_varattnos(reinterpret_cast<Node*>(baserel->reltarget->exprs), baserel->relid, &info->attrs_used);
    ListCell* lc;
    foreach (lc, baserel->baserestrictinfo) {
        RestrictInfo* ri = lfirst_node(RestrictInfo, lc);
        pull_varattnos(reinterpret_cast<Node*>(ri->clause), baserel->relid, &info->attrs_used);
        ClauseMatch m;
        if (match_clause(root, baserel, info->table, ri->clause, &m)) info->pushed = lappend(info->pushed, ri);
        else info->local_only = lappend(info->local_only, ri);
    }
    info->whole_object = bms_is_member(0 - FirstLowInvalidHeapAttributeNumber, info->attrs_used);
    for (int i = 1; i <= info->table->natts; ++i)
        if (!info->table->columns[i - 1].dropped &&
            info->table->columns[i - 1].source == wcfdw::ColumnSource::WholeObject &&
            bms_is_member(i - FirstLowInvalidHeapAttributeNumber, info->attrs_used))
            info->whole_object = true;
    estimate(root, baserel, info);
    remote_estimate(root, baserel, info);
}

void get_paths(PlannerInfo* root, RelOptInfo* baserel, Oid) {
    WooRelInfo* info = static_cast<WooRelInfo*>(baserel->fdw_private);
    const double total = kStartupCost + info->requests * kRequestCost + baserel->rows * cpu_tuple_cost;
    add_path(baserel, reinterpret_cast<Path*>(compat::foreign_scan_path(root, baserel, NULL, baserel->rows, kStartupCost,
                                                                        total, NIL, NULL, NULL, NIL)));

    // Joins on id / parent_id / sku: one lookup per outer row.
    for (AttrNumber attnum = 1; attnum <= info->table->natts; ++attnum) {
        const wcfdw::FilterSpec* f = column_filter(info->table, attnum);
        if (!f || (f->kind != wcfdw::FilterKind::Id && f->kind != wcfdw::FilterKind::PathParent &&
                   strcmp(f->field, "sku") != 0))
            continue;
        const WooColumn* col = &info->table->columns[attnum - 1];
        Var* var = makeVar(baserel->relid, attnum, col->type, col->typmod, col->collation, 0);
        List* clauses = generate_implied_equalities_for_column(root, baserel, ec_member_is_var, var,
                                                               baserel->lateral_referencers);
        ListCell* lc;
        foreach (lc, baserel->joininfo) {
            RestrictInfo* ri = lfirst_node(RestrictInfo, lc);
            ClauseMatch m;
            if (match_clause(root, baserel, info->table, ri->clause, &m) && m.attnum == attnum && !m.is_array)
                clauses = lappend(clauses, ri);
        }
        foreach (lc, clauses) {
            RestrictInfo* ri = lfirst_node(RestrictInfo, lc);
            Relids required_outer = bms_union(ri->clause_relids, baserel->lateral_relids);
            required_outer = bms_del_members(required_outer, baserel->relids);
            if (bms_is_empty(required_outer)) continue;
            ParamPathInfo* ppi = get_baserel_parampathinfo(root, baserel, required_outer);
            const double rows = f->kind == wcfdw::FilterKind::PathParent ? 10 : 1;
            (void)ppi;
            add_path(baserel, reinterpret_cast<Path*>(compat::foreign_scan_path(
                                  root, baserel, NULL, rows, kStartupCost, kStartupCost + kRequestCost + rows * cpu_tuple_cost,
                                  NIL, required_outer, NULL, NIL)));
        }
    }
}

ForeignScan* get_plan(PlannerInfo* root, RelOptInfo* foreignrel, Oid, ForeignPath* best_path, List* tlist,
                      List* scan_clauses, Plan* outer_plan) {
    const bool upper = foreignrel->reloptkind == RELOPT_UPPER_REL;
    RelOptInfo* baserel = upper ? static_cast<RelOptInfo*>(foreignrel->fdw_private) : foreignrel;
    WooRelInfo* info = static_cast<WooRelInfo*>(baserel->fdw_private);
    if (upper) scan_clauses = baserel->baserestrictinfo;

    List* fdw_exprs = NIL;
    List* conditions = NIL;
    bool all_matched = true;
    ListCell* lc;
    foreach (lc, scan_clauses) {
        RestrictInfo* ri = lfirst_node(RestrictInfo, lc);
        if (ri->pseudoconstant) continue;
        ClauseMatch m;
        if (!match_clause(root, baserel, info->table, ri->clause, &m)) {
            all_matched = false;
            continue;
        }
        fdw_exprs = lappend(fdw_exprs, m.value);
        conditions = lappend(conditions, condition_node(m, list_length(fdw_exprs) - 1, value_label(root, m.value)));
    }
    // Everything is rechecked locally: a store filter may return a superset.
    List* local_exprs = upper ? NIL : extract_actual_clauses(scan_clauses, false);

    // LIMIT n of a one-table query without ORDER BY: fetch no more pages
    // than n rows need (the core applies it only when the store filters exactly).
    int limit = -1;
    if (!upper && all_matched && root->limit_tuples > 0 && root->limit_tuples < INT_MAX &&
        bms_membership(root->all_baserels) == BMS_SINGLETON && root->parse->sortClause == NIL && !best_path->path.param_info)
        limit = static_cast<int>(root->limit_tuples);

    List* fdw_scan_tlist = NIL;
    if (upper) fdw_scan_tlist = add_to_flat_tlist(NIL, foreignrel->reltarget->exprs);
    List* fdw_private = list_make5(makeInteger(static_cast<int>(info->table->relid)),
                                   upper ? NIL : retrieved_attrs(info), conditions,
                                   upper ? NIL : needed_fields(info), makeInteger(limit));
    fdw_private = lappend(fdw_private, makeInteger(upper ? 1 : 0));
    return make_foreignscan(tlist, local_exprs, upper ? 0 : baserel->relid, fdw_exprs, fdw_private, fdw_scan_tlist,
                            NIL, outer_plan);
}

// count(*) with only conditions the store applies exactly: X-WP-Total.
void get_upper_paths(PlannerInfo* root, UpperRelationKind stage, RelOptInfo* input_rel, RelOptInfo* output_rel,
                     void*) {
    if (stage != UPPERREL_GROUP_AGG || input_rel->reloptkind != RELOPT_BASEREL || !input_rel->fdw_private) return;
    if (output_rel->fdw_private) return;  // already added
    Query* parse = root->parse;
    if (parse->groupClause || parse->groupingSets || parse->havingQual || parse->hasWindowFuncs ||
        parse->hasTargetSRFs)
        return;
    WooRelInfo* info = static_cast<WooRelInfo*>(input_rel->fdw_private);
    if (info->local_only != NIL) return;
    ListCell* lc;
    foreach (lc, output_rel->reltarget->exprs) {
        Node* n = static_cast<Node*>(lfirst(lc));
        if (!IsA(n, Aggref)) return;
        Aggref* a = reinterpret_cast<Aggref*>(n);
        if (a->aggfnoid != F_COUNT_ || !a->aggstar || a->aggfilter || a->aggdistinct || a->aggorder) return;
    }
    // The conditions must be constants the store applies exactly.
    const int n = list_length(info->pushed);
    FilterValues* values = static_cast<FilterValues*>(palloc0(sizeof(FilterValues) * (n > 0 ? n : 1)));
    int i = 0;
    foreach (lc, info->pushed) {
        RestrictInfo* ri = lfirst_node(RestrictInfo, lc);
        ClauseMatch m;
        if (!match_clause(root, input_rel, info->table, ri->clause, &m)) return;
        Expr* v = strip(m.value);
        if (!IsA(v, Const)) return;
        Const* c = reinterpret_cast<Const*>(v);
        values[i].field = m.filter->field;
        values[i].op = static_cast<int>(m.op);
        values[i].known = true;
        set_filter_values(&values[i], c->constvalue, c->constisnull, c->consttype, m.is_array);
        if (!values[i].known) return;
        ++i;
    }
    bool countable = false;
    PendingError pending;
    if (!run_cpp(pending, [&] {
            countable = wcfdw::plan_is_countable(build_scan_plan(info->table, values, i, nullptr, 0, -1));
        }))
        raise_pending_error(pending);
    if (!countable) return;
    output_rel->fdw_private = input_rel;
    add_path(output_rel, reinterpret_cast<Path*>(compat::foreign_upper_path(
                             root, output_rel, output_rel->reltarget, 1, kStartupCost, kStartupCost + kRequestCost,
                             NIL, NULL, NIL)));
}

}  // namespace wcfdw::pg
