// Column definitions for IMPORT FOREIGN SCHEMA, derived from the schema a
// store publishes for each resource (OPTIONS on its collection), so plugin
// fields appear as columns too. The typing rules are WooCommerce's facts:
// ids are integers, prices are strings holding decimals, *_gmt dates are UTC.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/woo/resources.hpp"

namespace wcfdw {

// The column types the converter knows natively; Other goes through the
// type's input function with the JSON value's text.
enum class ColumnType { BigInt, Integer, Numeric, Boolean, Text, TimestampTz, Jsonb, Other };
const char* column_type_sql(ColumnType type) noexcept;

struct ColumnDef {
    std::string name;
    ColumnType type;
    std::string field;  // JSON member (dotted path); empty when equal to name
    ColumnSource source = ColumnSource::Member;
};

// `options_body` is the body of the answer to OPTIONS on the resource's
// collection (its "schema"."properties" are read, in order). Throws
// InvalidResponse when it has no schema.
std::vector<ColumnDef> columns_from_schema(const ResourceInfo& resource, const std::string& options_body);

// How a column with no field option reads the object: "attrs" is the whole
// object, the products filter columns and nested parent ids have their own
// sources, everything else is the member of the same name.
ColumnSource default_column_source(const ResourceInfo& resource, const std::string& column_name,
                                   const std::string& field);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
