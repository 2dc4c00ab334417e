// What the planner hands the executor in ForeignScan.fdw_private (a List,
// so that plans can be copied): the items, in this order.
#pragma once

#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

enum FdwPrivateIndex {
    FdwPrivateRelid = 0,      // Integer: the foreign table's oid
    FdwPrivateAttrs,          // IntList: attnums the scan must fill (all but unused columns)
    FdwPrivateConditions,     // List of conditions, see below
    FdwPrivateFields,         // List of String: _fields members; NIL: whole objects
    FdwPrivateLimit,          // Integer: rows wanted when everything is pushed, -1 otherwise
    FdwPrivateCount,          // Integer: 1 when the scan answers count(*) aggregates
};

// One pushed-down condition: a List of
//   String  field (the filter's JSON member)
//   Integer op (wcfdw::CondOp)
//   Integer index of the value expression in fdw_exprs
//   Integer 1 when the value is an array (= ANY)
//   String  label for EXPLAIN when the value is known only at run time
enum ConditionIndex { CondField = 0, CondOp, CondExpr, CondIsArray, CondLabel };

}  // namespace wcfdw::pg
