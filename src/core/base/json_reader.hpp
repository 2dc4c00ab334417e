// Reading JSON that came over the network. nlohmann's parser is fine with
// any input, but what it builds is not: printing or copying an answer that
// nests arrays 500,000 deep recurses once per level and overflows the
// backend's stack, a number such as 1e400 aborts the whole parse, an integer
// beyond 64 bits silently becomes an approximate double, and a member given
// twice silently keeps the last value. read_json() puts limits in front:
//   - nesting deeper than max_depth is refused before anything is built;
//   - a member given twice in one object is refused;
//   - a number nlohmann cannot hold exactly enough (beyond double's range,
//     or an integer beyond 64 bits) becomes null in the document and is
//     listed, with its path and its text, so that whoever reads that member
//     can report it (the row converter names the column) instead of a
//     wrong value.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace wcfdw {

// Deep enough for any WooCommerce object (meta_data values are at most a
// few levels), shallow enough that printing, copying and PostgreSQL's own
// jsonb input never come near a stack limit.
constexpr std::size_t kMaxJsonDepth = 256;

struct JsonPathStep {
    bool is_index = false;
    std::size_t index = 0;  // is_index: position in an array
    std::string key;        // otherwise: member name
};
using JsonPath = std::vector<JsonPathStep>;

// [3].meta_data[0].value
std::string json_path_text(const JsonPath& path);

struct UnrepresentableNumber {
    JsonPath path;     // from the document's root
    std::string text;  // as the store wrote it (at most 64 bytes kept)
};

struct JsonDocument {
    nlohmann::json value;
    std::vector<UnrepresentableNumber> unrepresentable;
};

class JsonReadError : public std::runtime_error {
public:
    enum class Problem { Syntax, Truncated, TooDeep, DuplicateKey };
    JsonReadError(Problem problem, std::size_t byte, const std::string& message)
        : std::runtime_error(message), problem_(problem), byte_(byte) {}
    Problem problem() const noexcept { return problem_; }
    // Byte offset (0-based) where reading stopped.
    std::size_t byte() const noexcept { return byte_; }

private:
    Problem problem_;
    std::size_t byte_;
};

// Parses `text` (one JSON value, surrounding whitespace allowed). Throws
// JsonReadError; an empty or all-whitespace text is a Truncated error.
JsonDocument read_json(const std::string& text, std::size_t max_depth = kMaxJsonDepth);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
