#include "core/base/json_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <utility>

namespace wcfdw {

namespace {

using Json = nlohmann::json;

bool is_number_char(char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// Does nlohmann hold this integer token exactly (int64 or uint64)?
bool integer_fits(const char* p, std::size_t n) {
    const bool negative = n > 0 && p[0] == '-';
    const char* digits = p + (negative ? 1 : 0);
    std::size_t count = n - (negative ? 1 : 0);
    while (count > 1 && digits[0] == '0') ++digits, --count;  // invalid JSON anyway; nlohmann says so
    const char* limit = negative ? "9223372036854775808" : "18446744073709551615";
    const std::size_t limit_len = std::strlen(limit);
    if (count != limit_len) return count < limit_len;
    return std::memcmp(digits, limit, count) <= 0;
}

bool mantissa_has_nonzero_digit(const char* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        if (p[i] == 'e' || p[i] == 'E') break;
        if (p[i] >= '1' && p[i] <= '9') return true;
    }
    return false;
}

// Would nlohmann turn this number token into the number it says? Tokens
// that are not valid numbers at all are left to nlohmann's syntax error.
bool number_representable(const char* p, std::size_t n) {
    bool fractional = false;
    for (std::size_t i = 0; i < n; ++i)
        if (p[i] == '.' || p[i] == 'e' || p[i] == 'E') fractional = true;
    if (!fractional) return integer_fits(p, n);
    double value = 0;
    const auto [end, ec] = std::from_chars(p, p + n, value);
    if (ec == std::errc::result_out_of_range) return false;
    if (ec != std::errc() || end != p + n) return true;
    if (std::isinf(value)) return false;
    // 1e-400: not zero, but a double says it is.
    if (value == 0 && mantissa_has_nonzero_digit(p, n)) return false;
    return true;
}

struct Span {
    std::size_t begin;
    std::size_t end;
};

// One pass over the text before nlohmann builds anything: the nesting depth
// (refused as soon as it passes the limit, so a 500,000-deep answer costs
// nothing), and the number tokens that need a marker.
std::vector<Span> prescan(const std::string& text, std::size_t max_depth) {
    std::vector<Span> numbers;
    const char* p = text.data();
    const std::size_t n = text.size();
    std::size_t depth = 0;
    std::size_t i = 0;
    while (i < n) {
        const char c = p[i];
        if (c == '"') {
            for (++i; i < n; ++i) {
                if (p[i] == '\\') ++i;
                else if (p[i] == '"') break;
            }
            ++i;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth)
                throw JsonReadError(JsonReadError::Problem::TooDeep, i,
                                    "nesting deeper than " + std::to_string(max_depth) + " levels");
            ++i;
        } else if (c == ']' || c == '}') {
            if (depth > 0) --depth;
            ++i;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            const std::size_t start = i;
            while (i < n && is_number_char(p[i])) ++i;
            if (!number_representable(p + start, i - start)) numbers.push_back({start, i});
        } else {
            ++i;
        }
    }
    return numbers;
}

// "\u0000#<k>": a JSON string standing in for number token k. A store
// cannot make such a string mean anything else: text with U+0000 is
// refused wherever it would be used.
const char kMarkerPrefix[] = {'\0', '#'};

std::string with_markers(const std::string& text, const std::vector<Span>& numbers) {
    std::string out;
    out.reserve(text.size() + numbers.size() * 12);
    std::size_t at = 0;
    for (std::size_t k = 0; k < numbers.size(); ++k) {
        out.append(text, at, numbers[k].begin - at);
        out += "\"\\u0000#" + std::to_string(k) + "\"";
        at = numbers[k].end;
    }
    out.append(text, at, std::string::npos);
    return out;
}

// Builds the document from nlohmann's SAX events (as nlohmann's own DOM
// parser does), checking member names for duplicates and turning markers
// into nulls listed with their paths.
class DomBuilder {
public:
    DomBuilder(std::size_t max_depth, const std::string& text, std::size_t input_size, const std::vector<Span>& numbers,
               JsonDocument& out)
        : max_depth_(max_depth), text_(text), input_size_(input_size), numbers_(numbers), out_(out) {}

    bool null() { return put(nullptr) != nullptr; }
    bool boolean(bool v) { return put(v) != nullptr; }
    bool number_integer(Json::number_integer_t v) { return put(v) != nullptr; }
    bool number_unsigned(Json::number_unsigned_t v) { return put(v) != nullptr; }
    bool number_float(Json::number_float_t v, const std::string&) { return put(v) != nullptr; }
    bool binary(Json::binary_t&) { return put(nullptr) != nullptr; }  // never produced by JSON text

    bool string(std::string& v) {
        const long k = marker_index(v);
        if (k < 0) return put(std::move(v)) != nullptr;
        UnrepresentableNumber bad;
        bad.path = path_of_next_value();
        const Span& s = numbers_[static_cast<std::size_t>(k)];
        bad.text = text_.substr(s.begin, std::min<std::size_t>(s.end - s.begin, 64));
        out_.unrepresentable.push_back(std::move(bad));
        return put(nullptr) != nullptr;
    }

    bool start_object(std::size_t) { return open(Json::object()); }
    bool start_array(std::size_t) { return open(Json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(std::string& k) {
        Json::object_t& object = stack_.back()->get_ref<Json::object_t&>();
        if (object.count(k)) {
            error_ = std::make_unique<JsonReadError>(JsonReadError::Problem::DuplicateKey, 0,
                                                     "the member \"" + k.substr(0, 64) + "\" appears twice in one object");
            return false;
        }
        keys_.back() = std::move(k);
        return true;
    }

    bool parse_error(std::size_t position, const std::string& last_token, const Json::exception& e) {
        if (error_) return false;  // ours, raised from a callback above
        std::string message = e.what();
        const std::size_t bracket = message.find("] ");
        if (message.compare(0, 1, "[") == 0 && bracket != std::string::npos) message.erase(0, bracket + 2);
        // Truncated: the text ended inside a value (nlohmann read to the
        // end, and the last token is not a complete one it rejected). Only
        // at the end: nlohmann also says "end of input" (3.11.2) or "empty
        // input" (3.11.3) for a NUL byte, which is garbage, not truncation.
        const bool at_end = position >= input_size_;
        const bool whole_token = !last_token.empty() && std::string("]},:").find(last_token.back()) != std::string::npos;
        const bool truncated = at_end && (message.find("unexpected end of input") != std::string::npos ||
                                          message.find("missing closing quote") != std::string::npos || !whole_token);
        const auto problem = truncated ? JsonReadError::Problem::Truncated : JsonReadError::Problem::Syntax;
        error_ = std::make_unique<JsonReadError>(problem, position, message);
        return false;
    }

    std::unique_ptr<JsonReadError>& error() { return error_; }

private:
    long marker_index(const std::string& v) const {
        if (numbers_.empty() || v.size() < 3 || v.compare(0, 2, kMarkerPrefix, 2) != 0) return -1;
        std::size_t k = 0;
        for (std::size_t i = 2; i < v.size(); ++i) {
            if (v[i] < '0' || v[i] > '9' || i > 12) return -1;
            k = k * 10 + static_cast<std::size_t>(v[i] - '0');
        }
        return k < numbers_.size() ? static_cast<long>(k) : -1;
    }

    // Where the value about to be put will live.
    JsonPath path_of_next_value() const {
        JsonPath path;
        for (std::size_t level = 0; level < stack_.size(); ++level) {
            JsonPathStep step;
            const Json& container = *stack_[level];
            if (container.is_array()) {
                step.is_index = true;
                const std::size_t size = container.size();
                // Ancestors already hold the open child as their last element.
                step.index = level + 1 < stack_.size() ? (size > 0 ? size - 1 : 0) : size;
            } else {
                step.key = keys_[level];
            }
            path.push_back(std::move(step));
        }
        return path;
    }

    template <typename T>
    Json* put(T&& value) {
        if (stack_.empty()) {
            out_.value = Json(std::forward<T>(value));
            return &out_.value;
        }
        Json& top = *stack_.back();
        if (top.is_array()) {
            auto& array = top.get_ref<Json::array_t&>();
            array.emplace_back(std::forward<T>(value));
            return &array.back();
        }
        auto& object = top.get_ref<Json::object_t&>();
        auto [it, inserted] = object.emplace(keys_.back(), Json(std::forward<T>(value)));
        (void)inserted;
        return &it->second;
    }

    bool open(Json container) {
        if (stack_.size() >= max_depth_) {
            error_ = std::make_unique<JsonReadError>(JsonReadError::Problem::TooDeep, 0,
                                                     "nesting deeper than " + std::to_string(max_depth_) + " levels");
            return false;
        }
        Json* placed = put(std::move(container));
        stack_.push_back(placed);
        keys_.emplace_back();
        return true;
    }

    bool close() {
        stack_.pop_back();
        keys_.pop_back();
        return true;
    }

    std::size_t max_depth_;
    const std::string& text_;
    std::size_t input_size_;
    const std::vector<Span>& numbers_;
    JsonDocument& out_;
    std::vector<Json*> stack_;
    std::vector<std::string> keys_;
    std::unique_ptr<JsonReadError> error_;
};

}  // namespace

std::string json_path_text(const JsonPath& path) {
    std::string out;
    for (const auto& step : path) {
        if (step.is_index) {
            out += "[" + std::to_string(step.index) + "]";
        } else {
            if (!out.empty()) out += ".";
            out += step.key;
        }
    }
    return out;
}

JsonDocument read_json(const std::string& text, std::size_t max_depth) {
    const std::vector<Span> numbers = prescan(text, max_depth);
    const std::string marked = numbers.empty() ? std::string() : with_markers(text, numbers);
    const std::string& input = numbers.empty() ? text : marked;
    JsonDocument doc;
    DomBuilder builder(max_depth, text, input.size(), numbers, doc);
    const bool ok = Json::sax_parse(input, &builder, Json::input_format_t::json, true);
    if (!ok) {
        if (builder.error()) {
            JsonReadError e = *builder.error();
            // Positions in the marked text are not the store's; say where
            // the store's text was when markers moved it.
            if (!numbers.empty() && e.byte() > 0) throw JsonReadError(e.problem(), 0, e.what());
            throw e;
        }
        throw JsonReadError(JsonReadError::Problem::Syntax, 0, "invalid JSON");
    }
    return doc;
}

}  // namespace wcfdw
