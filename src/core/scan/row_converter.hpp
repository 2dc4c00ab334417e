// Turns one WooCommerce object into the cells of a foreign-table row,
// strictly: a value that does not fit its column is an error naming the
// table, the column, the object and the value; unknown members are ignored,
// missing ones are NULL. Integers and booleans come out as machine values,
// everything else as the text the column type's input function reads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/json_reader.hpp"
#include "core/base/woo_error.hpp"
#include "core/woo/resources.hpp"
#include "core/woo/table_schema.hpp"

namespace wcfdw {

struct ColumnSpec {
    std::string name;                 // for messages
    ColumnType type = ColumnType::Other;
    std::string field;                // JSON member or dotted path (dimensions.weight)
    ColumnSource source = ColumnSource::Member;
};

struct Cell {
    enum Kind : std::uint8_t { Null, Int, Bool, Text } kind = Null;
    std::int64_t i = 0;
    bool b = false;
    std::string text;  // Text: the value as the column type's input function reads it
};

class RowConverter {
public:
    RowConverter(std::string table_name, const ResourceInfo& resource, std::vector<ColumnSpec> columns);

    std::size_t size() const noexcept { return columns_.size(); }
    // Ids the scan filters a TermFilter column on (category = ANY(...)):
    // a row shows the first of them it has, else its first term.
    void set_term_filter(std::size_t column, std::vector<std::int64_t> ids);
    // The value a QueryParam column's parameter was sent with (report
    // periods); without one the column is NULL.
    void set_param_value(std::size_t column, std::string value);

    // `parent` is the key of the collection's parent (variations, order
    // notes, settings), "" if none.
    // `unrepresentable`: numbers of the object the JSON reader could not
    // hold (null in the object, ScanCursor::unrepresentable()); a column
    // that reads one, or a member holding one, is an OutOfRange error.
    void convert(const nlohmann::json& object, const std::string& parent, std::vector<Cell>& out,
                 const std::vector<UnrepresentableNumber>* unrepresentable = nullptr) const;
    // Parents are keys as text: a number (0 would become a null char*) does not compile.
    void convert(const nlohmann::json& object, std::int64_t parent, std::vector<Cell>& out,
                 const std::vector<UnrepresentableNumber>* unrepresentable = nullptr) const = delete;

private:
    struct Compiled {
        ColumnSpec spec;
        std::vector<std::string> path;  // field split at dots
        bool decode_entities = false;   // plain-text names come HTML-escaped
        bool utc = false;               // *_gmt dates carry no offset but are UTC
        std::vector<std::int64_t> term_filter;
        std::string term_member = "id";  // TermFilter: the element's member holding the id
        bool write_only = false;         // never read back (webhook secrets)
        bool has_param = false;          // QueryParam: a value was sent
        std::string param_value;
    };
    void convert_value(const Compiled& c, const nlohmann::json& value, const nlohmann::json& object,
                       Cell& cell) const;
    [[noreturn]] void bad_value(const Compiled& c, const nlohmann::json& value, const nlohmann::json& object,
                                const char* expected, ErrorKind kind = ErrorKind::BadValue) const;
    [[noreturn]] void value_error(const Compiled& c, const std::string& shown, const nlohmann::json& object,
                                  const std::string& expected, ErrorKind kind) const;
    void check_numbers(const Compiled& c, const std::vector<UnrepresentableNumber>& numbers,
                       const nlohmann::json& object) const;

    std::string table_;
    const ResourceInfo& resource_;
    std::vector<Compiled> columns_;
};

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
