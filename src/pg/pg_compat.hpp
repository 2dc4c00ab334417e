// Every difference between the PostgreSQL major versions the extension
// builds against (15 to 18) lives here, as small functions named for what
// the callers mean. The callbacks never test PG_VERSION_NUM themselves.
// Included at the end of pg/postgres_headers.hpp: do not include it alone.
//
//   16  permission info left the range table entry (RTEPermissionInfo): the
//       "check as" role of a scan moved into the plan (ForeignScan.checkAsUser),
//       that of a write behind ExecGetResultRelCheckAsUser; the per-object
//       ACL checks became object_aclcheck(class, ...)
//   17  foreign paths take the restriction clauses the FDW enforces
//       (fdw_restrictinfo)
//   18  paths count their disabled nodes (disabled_nodes); EXPLAIN's
//       property functions and ExplainState moved to explain_format.h and
//       explain_state.h
//
// The planner's RelOptInfo.userid holds the "check as" role on every
// version, so the planner needs nothing from here for it.
#pragma once

#if PG_VERSION_NUM < 150000
#error "woocommerce_fdw needs PostgreSQL 15 or later"
#endif

#if PG_VERSION_NUM >= 180000
extern "C" {
#include "commands/explain_format.h"
#include "commands/explain_state.h"
}
#endif

extern "C" {
#include "utils/acl.h"
}

namespace wcfdw::pg::compat {

// The role whose user mapping a scan uses: the one the table is checked as
// (a view's owner), else the current user. rtindex is the scanned relation
// (scanrelid, or the first of fs_relids for an upper rel).
inline Oid scan_check_as_user(ForeignScan* plan, EState* estate, int rtindex) {
#if PG_VERSION_NUM >= 160000
    (void)estate;
    (void)rtindex;
    return OidIsValid(plan->checkAsUser) ? plan->checkAsUser : GetUserId();
#else
    (void)plan;
    RangeTblEntry* rte = exec_rt_fetch(rtindex, estate);
    return OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
#endif
}

// The same for the table an INSERT, UPDATE, DELETE or COPY writes. A
// partition opened for tuple routing has no range table entry of its own:
// the statement's target (the root) holds the permissions.
inline Oid modify_check_as_user(ResultRelInfo* rinfo, EState* estate) {
    if (rinfo->ri_RangeTableIndex == 0 && !rinfo->ri_RootResultRelInfo) return GetUserId();
#if PG_VERSION_NUM >= 160000
    return ExecGetResultRelCheckAsUser(rinfo, estate);
#else
    Index rti = rinfo->ri_RangeTableIndex;
    if (rinfo->ri_RootResultRelInfo) rti = rinfo->ri_RootResultRelInfo->ri_RangeTableIndex;
    if (rti == 0) return GetUserId();
    RangeTblEntry* rte = exec_rt_fetch(rti, estate);
    return OidIsValid(rte->checkAsUser) ? rte->checkAsUser : GetUserId();
#endif
}

inline AclResult foreign_server_aclcheck(Oid serverid, Oid roleid, AclMode mode) {
#if PG_VERSION_NUM >= 160000
    return object_aclcheck(ForeignServerRelationId, serverid, roleid, mode);
#else
    return pg_foreign_server_aclcheck(serverid, roleid, mode);
#endif
}

// create_foreignscan_path and friends with the arguments every version
// shares; the ones later versions added get their neutral values (no
// restriction clauses enforced remotely, no disabled nodes).
#if PG_VERSION_NUM >= 180000
#define WCFDW_PATH_ROWS_AND_COSTS(rows, startup, total) rows, 0, startup, total
#else
#define WCFDW_PATH_ROWS_AND_COSTS(rows, startup, total) rows, startup, total
#endif
#if PG_VERSION_NUM >= 170000
#define WCFDW_PATH_RESTRICTINFO NIL,
#else
#define WCFDW_PATH_RESTRICTINFO
#endif

inline ForeignPath* foreign_scan_path(PlannerInfo* root, RelOptInfo* rel, PathTarget* target, double rows,
                                      Cost startup_cost, Cost total_cost, List* pathkeys, Relids required_outer,
                                      Path* fdw_outerpath, List* fdw_private) {
    return create_foreignscan_path(root, rel, target, WCFDW_PATH_ROWS_AND_COSTS(rows, startup_cost, total_cost),
                                   pathkeys, required_outer, fdw_outerpath, WCFDW_PATH_RESTRICTINFO fdw_private);
}

inline ForeignPath* foreign_join_path(PlannerInfo* root, RelOptInfo* rel, PathTarget* target, double rows,
                                      Cost startup_cost, Cost total_cost, List* pathkeys, Relids required_outer,
                                      Path* fdw_outerpath, List* fdw_private) {
    return create_foreign_join_path(root, rel, target, WCFDW_PATH_ROWS_AND_COSTS(rows, startup_cost, total_cost),
                                    pathkeys, required_outer, fdw_outerpath, WCFDW_PATH_RESTRICTINFO fdw_private);
}

inline ForeignPath* foreign_upper_path(PlannerInfo* root, RelOptInfo* rel, PathTarget* target, double rows,
                                       Cost startup_cost, Cost total_cost, List* pathkeys, Path* fdw_outerpath,
                                       List* fdw_private) {
    return create_foreign_upper_path(root, rel, target, WCFDW_PATH_ROWS_AND_COSTS(rows, startup_cost, total_cost),
                                     pathkeys, fdw_outerpath, WCFDW_PATH_RESTRICTINFO fdw_private);
}

#undef WCFDW_PATH_ROWS_AND_COSTS
#undef WCFDW_PATH_RESTRICTINFO

}  // namespace wcfdw::pg::compat
