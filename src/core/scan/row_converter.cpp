#include "core/scan/row_converter.hpp"

#include <cerrno>
#include <cmath>
#include <climits>
#include <cstdlib>

#include "core/woo/store_client.hpp"
#include "core/base/woo_error.hpp"

namespace wcfdw {

namespace {

std::vector<std::string> split_path(const std::string& field) {
    std::vector<std::string> out;
    std::string part;
    for (char ch : field) {
        if (ch == '.') {
            out.push_back(part);
            part.clear();
        } else {
            part += ch;
        }
    }
    out.push_back(part);
    return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// [-]digits[.digits][e[+-]digits]: what numeric_in accepts from WooCommerce.
bool is_decimal(const std::string& s) {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t digits = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && is_digit(s[i])) ++i, ++digits;
    }
    if (digits == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
        std::size_t exp = 0;
        while (i < s.size() && is_digit(s[i])) ++i, ++exp;
        if (exp == 0) return false;
    }
    return i == s.size();
}

// [-]digits: an integer, whatever its size.
bool is_integer_text(const std::string& s) {
    const std::size_t start = (!s.empty() && s[0] == '-') ? 1 : 0;
    if (s.size() == start) return false;
    for (std::size_t i = start; i < s.size(); ++i)
        if (!is_digit(s[i])) return false;
    return true;
}

bool parse_int64(const std::string& s, std::int64_t& out) {
    if (s.empty() || s.size() > 20) return false;
    for (std::size_t i = (s[0] == '-' ? 1 : 0); i < s.size(); ++i)
        if (!is_digit(s[i])) return false;
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (errno != 0 || *end != '\0') return false;
    out = v;
    return true;
}

int two_digits(const std::string& s, std::size_t at) {
    if (!is_digit(s[at]) || !is_digit(s[at + 1])) return -1;
    return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

// 2024-01-31T12:00:00 (WooCommerce), optionally with fractions or an
// offset, with fields in range (timestamptz_in would say so too, but
// without naming the store's member and object).
bool looks_like_timestamp(const std::string& s) {
    if (!(s.size() >= 19 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) && s[4] == '-' &&
          s[7] == '-' && (s[10] == 'T' || s[10] == ' ') && s[13] == ':' && s[16] == ':'))
        return false;
    const int month = two_digits(s, 5), day = two_digits(s, 8), hour = two_digits(s, 11);
    const int minute = two_digits(s, 14), second = two_digits(s, 17);
    return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23 && minute >= 0 &&
           minute <= 59 && second >= 0 && second <= 60;
}

bool has_offset(const std::string& s) {
    if (s.size() <= 19) return false;
    const std::string tail = s.substr(19);
    return tail.find('Z') != std::string::npos || tail.find('+') != std::string::npos ||
           tail.find('-') != std::string::npos;
}

std::int64_t term_id(const nlohmann::json& term, const std::string& member) {
    if (term.is_object()) {
        const auto it = term.find(member);
        if (it != term.end() && it->is_number_integer()) return it->get<std::int64_t>();
    }
    if (term.is_number_integer()) return term.get<std::int64_t>();
    return 0;
}

std::string object_label(const ResourceInfo& resource, const nlohmann::json& object) {
    std::string label = resource.item_noun;
    if (object.is_object()) {
        const auto id = object.find("id");
        if (id != object.end()) label += " " + id->dump();
    }
    return label;
}

}  // namespace

RowConverter::RowConverter(std::string table_name, const ResourceInfo& resource, std::vector<ColumnSpec> columns)
    : table_(std::move(table_name)), resource_(resource) {
    columns_.reserve(columns.size());
    for (auto& spec : columns) {
        Compiled c;
        c.path = split_path(spec.field);
        const std::string& last = c.path.back();
        c.decode_entities = last == "name" && (spec.type == ColumnType::Text || spec.type == ColumnType::Other);
        c.utc = last.size() > 4 && last.compare(last.size() - 4, 4, "_gmt") == 0;
        if (const ArrayFilterColumn* a = find_array_filter_field(resource, c.path.front())) c.term_member = a->member;
        c.write_only = spec.source == ColumnSource::Member && is_write_only_field(resource, spec.field);
        c.spec = std::move(spec);
        columns_.push_back(std::move(c));
    }
}

void RowConverter::set_term_filter(std::size_t column, std::vector<std::int64_t> ids) {
    if (column < columns_.size()) columns_[column].term_filter = std::move(ids);
}

void RowConverter::set_param_value(std::size_t column, std::string value) {
    if (column >= columns_.size()) return;
    columns_[column].has_param = true;
    columns_[column].param_value = std::move(value);
}

namespace {

// A column reading member a.b sees every number under a.b (a jsonb column
// holds them all); attrs sees every number of the object.
bool reads(const std::vector<std::string>& field, ColumnSource source, const JsonPath& number) {
    if (source == ColumnSource::WholeObject) return true;
    const std::size_t n = source == ColumnSource::Member ? field.size() : 1;
    if (number.size() < n) return false;
    for (std::size_t k = 0; k < n; ++k)
        if (number[k].is_index || number[k].key != field[k]) return false;
    return true;
}

}  // namespace

void RowConverter::check_numbers(const Compiled& c, const std::vector<UnrepresentableNumber>& numbers,
                                 const nlohmann::json& object) const {
    for (const auto& number : numbers) {
        if (!reads(c.path, c.spec.source, number.path)) continue;
        const std::string value = sanitize_utf8(number.text);
        throw WooError(ErrorKind::OutOfRange,
                       "column \"" + c.spec.name + "\" of foreign table \"" + table_ + "\" cannot hold the value " +
                           value + " of " + object_label(resource_, object),
                       "The store sent " + value + " in member \"" + sanitize_utf8(json_path_text(number.path)) +
                           "\": beyond a double's range, or an integer beyond 64 bits, it cannot be read exactly.",
                       "Correct the value in the store, or leave the member out of the query (select the columns "
                       "that do not read it).");
    }
}

void RowConverter::convert(const nlohmann::json& object, const std::string& parent, std::vector<Cell>& out,
                           const std::vector<UnrepresentableNumber>* unrepresentable) const {
    out.resize(columns_.size());
    static const nlohmann::json null_value;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        const Compiled& c = columns_[i];
        Cell& cell = out[i];
        cell.kind = Cell::Null;
        if (unrepresentable && !unrepresentable->empty()) check_numbers(c, *unrepresentable, object);
        switch (c.spec.source) {
        case ColumnSource::WholeObject:
            cell.kind = Cell::Text;
            cell.text = object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
            continue;
        case ColumnSource::PathParent: {
            // The object's own member where it has one (variations' parent_id,
            // the flat refunds list's parent_id), else the request's parent.
            const auto it = object.find(resource_.parent_member ? resource_.parent_member : c.path.front());
            const bool own = it != object.end() &&
                             ((it->is_number_integer() && it->get<std::int64_t>() > 0) ||
                              (it->is_string() && !it->get_ref<const std::string&>().empty()));
            if (own) convert_value(c, *it, object, cell);
            else if (!parent.empty()) convert_value(c, nlohmann::json(parent), object, cell);
            continue;
        }
        case ColumnSource::QueryParam:
            if (c.has_param) {
                cell.kind = Cell::Text;
                cell.text = c.param_value;
            }
            continue;
        case ColumnSource::TermFilter: {
            const auto it = object.find(c.path.front());
            if (it == object.end() || !it->is_array() || it->empty()) continue;
            std::int64_t chosen = 0;
            for (std::int64_t wanted : c.term_filter) {
                for (const auto& term : *it)
                    if (term_id(term, c.term_member) == wanted) chosen = wanted;
                if (chosen) break;
            }
            if (!chosen) chosen = term_id(it->front(), c.term_member);
            if (chosen) {
                cell.kind = Cell::Int;
                cell.i = chosen;
            }
            continue;
        }
        case ColumnSource::Member: break;
        }
        if (c.write_only) continue;
        const nlohmann::json* value = &object;
        for (const auto& key : c.path) {
            if (!value->is_object()) {
                value = &null_value;
                break;
            }
            const auto it = value->find(key);
            value = it == value->end() ? &null_value : &*it;
        }
        convert_value(c, *value, object, cell);
    }
}

void RowConverter::convert_value(const Compiled& c, const nlohmann::json& value, const nlohmann::json& object,
                                 Cell& cell) const {
    if (value.is_null()) return;
    switch (c.spec.type) {
    case ColumnType::BigInt:
    case ColumnType::Integer: {
        std::int64_t v = 0;
        if (value.is_number_integer()) {
            if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
                bad_value(c, value, object, "an integer in the range of type bigint", ErrorKind::OutOfRange);
            v = value.get<std::int64_t>();
        } else if (value.is_number_float()) {
            const double d = value.get<double>();
            if (d != std::floor(d)) bad_value(c, value, object, "an integer");
            // Range before the cast: casting an out-of-range double is undefined.
            if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
                bad_value(c, value, object, "an integer in the range of type bigint", ErrorKind::OutOfRange);
            v = static_cast<std::int64_t>(d);
        } else if (value.is_string()) {
            const auto& s = value.get_ref<const std::string&>();
            if (s.empty()) return;  // WooCommerce's way of saying "not set"
            if (!is_integer_text(s)) bad_value(c, value, object, "an integer");
            if (!parse_int64(s, v))
                bad_value(c, value, object, "an integer in the range of type bigint", ErrorKind::OutOfRange);
        } else {
            bad_value(c, value, object, "an integer");
        }
        if (c.spec.type == ColumnType::Integer && (v < INT32_MIN || v > INT32_MAX))
            bad_value(c, value, object, "an integer in the range of type integer", ErrorKind::OutOfRange);
        cell.kind = Cell::Int;
        cell.i = v;
        return;
    }
    case ColumnType::Boolean:
        if (!value.is_boolean()) bad_value(c, value, object, "a boolean");
        cell.kind = Cell::Bool;
        cell.b = value.get<bool>();
        return;
    case ColumnType::Numeric:
        if (value.is_string()) {
            const auto& s = value.get_ref<const std::string&>();
            if (s.empty()) return;  // "" is how WooCommerce clears a price
            if (!is_decimal(s)) bad_value(c, value, object, "a decimal number");
            cell.kind = Cell::Text;
            cell.text = s;
        } else if (value.is_number()) {
            cell.kind = Cell::Text;
            cell.text = value.dump();
        } else {
            bad_value(c, value, object, "a decimal number");
        }
        return;
    case ColumnType::TimestampTz:
        if (!value.is_string()) bad_value(c, value, object, "a date-time string");
        {
            const auto& s = value.get_ref<const std::string&>();
            if (s.empty()) return;
            if (!looks_like_timestamp(s)) bad_value(c, value, object, "a date-time like 2024-01-31T12:00:00");
            cell.kind = Cell::Text;
            cell.text = s;
            if (c.utc && !has_offset(s)) cell.text += "+00";
        }
        return;
    case ColumnType::Jsonb:
        cell.kind = Cell::Text;
        cell.text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    case ColumnType::Text:
    case ColumnType::Other:
        cell.kind = Cell::Text;
        if (value.is_string()) {
            const auto& s = value.get_ref<const std::string&>();
            // PostgreSQL text ends at U+0000: keeping it would cut the value short.
            if (s.find('\0') != std::string::npos)
                bad_value(c, value, object, "text without the character U+0000", ErrorKind::NulCharacter);
            cell.text = c.decode_entities ? decode_html_entities(s) : s;
        } else {
            cell.text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        }
        return;
    }
}

void RowConverter::bad_value(const Compiled& c, const nlohmann::json& value, const nlohmann::json& object,
                             const char* expected, ErrorKind kind) const {
    value_error(c, sanitize_utf8(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)), object,
                expected, kind);
}

void RowConverter::value_error(const Compiled& c, const std::string& value_text, const nlohmann::json& object,
                               const std::string& expected, ErrorKind kind) const {
    std::string shown = value_text;
    if (shown.size() > 120) shown = shown.substr(0, 117) + "...";
    throw WooError(kind,
                   "column \"" + c.spec.name + "\" of foreign table \"" + table_ + "\" cannot hold the value " +
                       shown + " of " + object_label(resource_, object),
                   "The store sent " + shown + " in member \"" + c.spec.field + "\"; the column expects " +
                       expected + ".",
                   std::string("Give the column a type that fits (ALTER FOREIGN TABLE ... ALTER COLUMN ") +
                       c.spec.name + " TYPE text or jsonb), or point it at another member with the column option "
                       "field.");
}

}  // namespace wcfdw
