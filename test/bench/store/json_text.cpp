#include "json_text.hpp"

#include <cstdio>

namespace benchstore {

void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    std::size_t run = 0;  // start of the pending run of bytes that need no escape
    for (std::size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(text.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default: {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            }
        }
    }
    out.append(text.data() + run, text.size() - run);
    out += '"';
}

void append_json_int(std::string& out, std::int64_t value) { out += std::to_string(value); }

void append_json_optional_int(std::string& out, const std::optional<std::int64_t>& value) {
    if (value) append_json_int(out, *value);
    else out += "null";
}

void append_json_value(std::string& out, const Json& value) {
    switch (value.type()) {
        case Json::value_t::object: {
            out += '{';
            bool first = true;
            for (auto it = value.begin(); it != value.end(); ++it) {
                if (!first) out += ',';
                first = false;
                append_json_string(out, it.key());
                out += ':';
                append_json_value(out, it.value());
            }
            out += '}';
            return;
        }
        case Json::value_t::array: {
            out += '[';
            bool first = true;
            for (const auto& item : value) {
                if (!first) out += ',';
                first = false;
                append_json_value(out, item);
            }
            out += ']';
            return;
        }
        case Json::value_t::string: append_json_string(out, value.get_ref<const std::string&>()); return;
        default: out += value.dump(); return;  // numbers, booleans, null
    }
}

}  // namespace benchstore
