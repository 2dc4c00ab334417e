// From the columns an INSERT or UPDATE writes to the JSON body WooCommerce
// takes: numeric prices as strings, dates as *_gmt strings, jsonb as JSON,
// dotted fields as nested objects, NULL as WooCommerce's way of clearing.
// Everything that can be known to be wrong locally (a write the resource
// does not take, a negative price, an unknown status, a read-only field, a
// missing required member) is an error here, before any request; the rules
// are the resource's catalogue row (resources.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/woo/resources.hpp"
#include "core/woo/table_schema.hpp"

namespace wcfdw {

struct WriteValue {
    enum Kind : std::uint8_t { Null, Int, Bool, Text, Timestamp } kind = Null;
    std::int64_t i = 0;   // Int; Timestamp: seconds since 1970-01-01 UTC
    bool b = false;
    std::string text;     // Text: numeric_out / text / jsonb_out output
};

struct WriteColumn {
    std::string name;
    ColumnType type = ColumnType::Other;
    std::string field;
    ColumnSource source = ColumnSource::Member;
};

enum class WriteOp { Insert, Update, Delete };

// Throws Unsupported (0A000) with a hint when WooCommerce's API does not
// let a client do `op` on the resource (reports, data, order note
// updates...), or cannot trash it when the table option trash asks to.
void check_write_allowed(const ResourceInfo& resource, const std::string& table_name, WriteOp op, bool trash);

// "INSERT, UPDATE, DELETE" / "UPDATE" / "" for messages and the README.
std::string allowed_writes(const ResourceInfo& resource);

class PayloadBuilder {
public:
    // `columns`: the columns the statement writes, in the order values come.
    PayloadBuilder(std::string table_name, const ResourceInfo& resource, std::vector<WriteColumn> columns);

    // Throws WooError (InvalidArgument 22023, Unsupported 0A000) naming the
    // row (`row_label`, e.g. "row 3" or "product 42") and the column.
    // `skip_nulls`: INSERT leaves NULL columns out, so WooCommerce's
    // defaults apply; UPDATE sends them (NULL clears: sale_price -> "").
    nlohmann::json build(const std::vector<WriteValue>& values, const std::string& row_label, bool skip_nulls) const;

    // The parent id a row names in its parent column (variations'
    // parent_id), or 0.
    std::int64_t parent_of(const std::vector<WriteValue>& values) const;

    // Throws for columns an UPDATE can never write (read-only and
    // insert-only fields, filter columns, the parent), so the error comes
    // before the first row.
    void check_writable() const;

private:
    // Throws for a read-only field or a filter column, and for an
    // insert-only field when `updating`.
    void refuse_if_unwritable(const WriteColumn& column, bool updating) const;
    // Throws MissingValue (23502) when an INSERT's body lacks a member the
    // resource requires.
    void check_required(const nlohmann::json& body, const std::string& row_label) const;

    std::string table_;
    const ResourceInfo& resource_;
    std::vector<WriteColumn> columns_;
};

// "sku 'MUG-1'" when the body has a SKU, else "name 'Mug'", else the fallback.
std::string describe_item(const nlohmann::json& body, const std::string& fallback);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
