// JSON text written byte for byte as the test store writes it: Python's
// json.dumps(obj, ensure_ascii=False, separators=(",", ":")). The check
// (check_bench_store.py) compares the two stores' answers, and the extension
// parses these bytes, so the benchmark store renders with these helpers only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace benchstore {

using Json = nlohmann::ordered_json;

void append_json_string(std::string& out, std::string_view text);
void append_json_int(std::string& out, std::int64_t value);
inline void append_json_bool(std::string& out, bool value) { out += value ? "true" : "false"; }
void append_json_optional_int(std::string& out, const std::optional<std::int64_t>& value);
// Any JSON value (meta_data values, templates), members in their order.
void append_json_value(std::string& out, const Json& value);

// Builds an object member by member: {"a":1,"b":"x"}.
class ObjectWriter {
public:
    explicit ObjectWriter(std::string& out) : out_(out) { out_ += '{'; }
    // Starts the member; the caller appends its value.
    std::string& key(std::string_view name) {
        if (!first_) out_ += ',';
        first_ = false;
        append_json_string(out_, name);
        out_ += ':';
        return out_;
    }
    void str(std::string_view name, std::string_view value) { append_json_string(key(name), value); }
    void integer(std::string_view name, std::int64_t value) { append_json_int(key(name), value); }
    void boolean(std::string_view name, bool value) { append_json_bool(key(name), value); }
    void close() { out_ += '}'; }

private:
    std::string& out_;
    bool first_ = true;
};

}  // namespace benchstore
