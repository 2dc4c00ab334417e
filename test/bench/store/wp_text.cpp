#include "wp_text.hpp"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace benchstore {
namespace {

bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_xdigit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// Length of the entity after '&' at text[i] (up to and including ';'), 0 if none.
std::size_t entity_length(std::string_view text, std::size_t amp) {
    std::size_t i = amp + 1;
    auto run = [&](auto pred, std::size_t min, std::size_t max) {
        std::size_t n = 0;
        while (i + n < text.size() && n < max && pred(text[i + n])) ++n;
        return n >= min ? n : std::size_t(0);
    };
    if (i < text.size() && text[i] == '#') {
        ++i;
        std::size_t n = 0;
        if (i < text.size() && (text[i] == 'x' || text[i] == 'X')) {
            ++i;
            n = run(is_xdigit, 1, 6);
        } else {
            n = run(is_digit, 1, 7);
        }
        if (n && i + n < text.size() && text[i + n] == ';') return i + n + 1 - amp;
        return 0;
    }
    if (i < text.size() && is_alpha(text[i])) {
        std::size_t n = 1;
        while (i + n < text.size() && n < 32 && is_alnum(text[i + n])) ++n;
        if (n >= 2 && i + n < text.size() && text[i + n] == ';') return i + n + 1 - amp;
    }
    return 0;
}

std::string strip_tags(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '<') {
            const std::size_t close = text.find('>', i + 1);
            if (close != std::string_view::npos) {
                i = close;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

// Decodes one UTF-8 sequence at s[i]; returns its length (1 for a stray byte).
std::size_t utf8_at(std::string_view s, std::size_t i, unsigned& cp) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + n > s.size()) n = 1;
    cp = n == 1 ? c : n == 2 ? (c & 0x1f) : n == 3 ? (c & 0x0f) : (c & 0x07);
    for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    return n;
}

const std::map<unsigned, const char*>& latin_letters() {
    static const std::map<unsigned, const char*> table = {
#include "latin_letters.inc"
    };
    return table;
}

const std::map<unsigned, const char*>& lower_letters() {
    static const std::map<unsigned, const char*> table = {
#include "unicode_lower.inc"
    };
    return table;
}

// Python's str.lower(): ASCII and the listed non-ASCII code points.
std::string unicode_lower(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        unsigned cp = 0;
        const std::size_t n = utf8_at(text, i, cp);
        if (cp < 0x80) {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
        } else {
            auto it = lower_letters().find(cp);
            if (it != lower_letters().end()) out += it->second;
            else out.append(text.substr(i, n));
        }
        i += n;
    }
    return out;
}

std::string remove_accents(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        unsigned cp = 0;
        const std::size_t n = utf8_at(text, i, cp);
        auto it = cp >= 0x80 ? latin_letters().find(cp) : latin_letters().end();
        if (it != latin_letters().end()) out += it->second;
        else out.append(text.substr(i, n));
        i += n;
    }
    return out;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
        s.replace(pos, from.size(), to);
}

// "%xx" -> "---xx---", drop other '%', then back: a '%' survives only in
// front of two hex digits.
std::string keep_octets(const std::string& t) {
    std::string out;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] != '%') {
            out += t[i];
        } else if (i + 2 < t.size() && is_xdigit(t[i + 1]) && is_xdigit(t[i + 2])) {
            out += t.substr(i, 3);
            i += 2;
        }
    }
    return out;
}

constexpr const char* kSlugDash[] = {"%c2%a0", "%e2%80%91", "%e2%80%93", "%e2%80%94", "%e2%80%80", "%e2%80%81",
                                     "%e2%80%82", "%e2%80%83", "%e2%80%84", "%e2%80%85", "%e2%80%86", "%e2%80%87",
                                     "%e2%80%88", "%e2%80%89", "%e2%80%8a", "%e2%80%a8", "%e2%80%a9", "%e2%80%af"};
constexpr const char* kSlugRemove[] = {
    "%c2%ad", "%c2%a1", "%c2%bf", "%c2%ab", "%c2%bb", "%e2%80%b9", "%e2%80%ba", "%e2%80%98", "%e2%80%99",
    "%e2%80%9c", "%e2%80%9d", "%e2%80%9a", "%e2%80%9b", "%e2%80%9e", "%e2%80%9f", "%e2%80%a2", "%c2%a9",
    "%c2%ae", "%c2%b0", "%e2%80%a6", "%e2%84%a2", "%c2%b4", "%cb%8a", "%cc%81", "%cd%81", "%cc%80",
    "%cc%84", "%cc%8c", "%e2%80%8b", "%e2%80%8c", "%e2%80%8d", "%e2%80%8e", "%e2%80%8f", "%e2%80%aa",
    "%e2%80%ab", "%e2%80%ac", "%e2%80%ad", "%e2%80%ae", "%ef%bb%bf", "%ef%bf%bc"};

// re.sub(r"&.+?;", "", t): '&', at least one character, up to the next ';'.
std::string drop_entities(const std::string& t) {
    std::string out;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == '&' && i + 1 < t.size()) {
            const std::size_t semi = t.find(';', i + 2);
            if (semi != std::string::npos) {
                i = semi;
                continue;
            }
        }
        out += t[i];
    }
    return out;
}

}  // namespace

std::string kses_normalize(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '&' && entity_length(text, i) == 0) out += "&amp;";
        else out += text[i];
    }
    return out;
}

std::string sanitize_title(std::string_view title) {
    std::string t = unicode_lower(keep_octets(remove_accents(strip_tags(title))));
    std::string enc;
    for (const char c : t) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (u < 0x80) {
            enc += c;
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02x", u);
            enc += buf;
        }
    }
    for (const char* s : kSlugDash) replace_all(enc, s, "-");
    for (const char* s : kSlugRemove) replace_all(enc, s, "");
    replace_all(enc, "%c3%97", "x");
    enc = drop_entities(enc);
    std::string out;
    bool dash = false;
    for (char c : enc) {
        if (c == '.') c = '-';
        const bool keep = c == '%' || (c >= 'a' && c <= 'z') || is_digit(c) || c == ' ' || c == '_' || c == '-';
        if (!keep) continue;
        if (c == ' ' || c == '-') {
            if (!dash) out += '-';
            dash = true;
            continue;
        }
        dash = false;
        out += c;
    }
    const std::size_t b = out.find_first_not_of('-');
    if (b == std::string::npos) return "";
    const std::size_t e = out.find_last_not_of('-');
    return out.substr(b, e - b + 1);
}

std::string wc_clean(std::string_view text) { return strip(strip_tags(text)); }

std::string strip(std::string_view text) {
    const char* ws = " \t\n\r\f\v";
    const std::size_t b = text.find_first_not_of(ws);
    if (b == std::string_view::npos) return "";
    const std::size_t e = text.find_last_not_of(ws);
    return std::string(text.substr(b, e - b + 1));
}

std::string wc_format_decimal(const Json& value) {
    if (value.is_null()) return "";
    std::string s;
    if (value.is_boolean()) s = value.get<bool>() ? "1" : "";
    else if (value.is_number_integer()) s = value.dump();
    else if (value.is_number()) s = value.dump();  // Python repr() of a float: same shortest form
    else if (value.is_string()) s = value.get<std::string>();
    else s = value.dump();
    s = strip_tags(strip(s));
    // Remove every '.' but the last one that has something after it, and
    // everything that is not a digit, '.' or '-'.
    const std::size_t last_dot = s.rfind('.');
    const bool last_dot_kept = last_dot != std::string::npos && last_dot + 1 < s.size();
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '.') {
            if (last_dot_kept && i == last_dot) out += c;
        } else if (is_digit(c) || c == '-') {
            out += c;
        }
    }
    return out;
}

std::optional<double> price_decimal(std::string_view text) {
    const std::string s = strip(text);
    if (s.empty()) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(s.c_str(), &end);
    if (end != s.c_str() + s.size()) return std::nullopt;
    return v;
}

std::string format_2f(double value) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", value);
    return buf;
}

namespace {

// "{:,.{d}f}".format(value) with the store's separators.
std::string price_number(const PriceFormat& f, std::string_view amount) {
    const double value = price_decimal(amount).value_or(0.0);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", f.decimals, value);
    std::string text = buf;
    const std::size_t dot = text.find('.');
    std::string whole = text.substr(0, dot), fraction = dot == std::string::npos ? "" : text.substr(dot + 1);
    const bool negative = !whole.empty() && whole[0] == '-';
    if (negative) whole.erase(0, 1);
    std::string grouped;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i && (whole.size() - i) % 3 == 0) grouped += f.thousand_separator;
        grouped += whole[i];
    }
    return (negative ? "-" : "") + grouped + (fraction.empty() ? "" : f.decimal_separator + fraction);
}

std::string placed(const PriceFormat& f, const std::string& symbol, const std::string& number) {
    if (f.position == "right") return number + symbol;
    if (f.position == "left_space") return symbol + "&nbsp;" + number;
    if (f.position == "right_space") return number + "&nbsp;" + symbol;
    return symbol + number;
}

}  // namespace

std::string wc_price(const PriceFormat& f, std::string_view amount, bool hidden) {
    const std::string symbol = "<span class=\"woocommerce-Price-currencySymbol\">" + f.symbol + "</span>";
    return std::string("<span class=\"woocommerce-Price-amount amount\"") + (hidden ? " aria-hidden=\"true\"" : "") +
           "><bdi>" + placed(f, symbol, price_number(f, amount)) + "</bdi></span>";
}

std::string price_text(const PriceFormat& f, std::string_view amount) {
    return placed(f, f.symbol, price_number(f, amount));
}

std::string unquote(std::string_view text) {
    std::string raw;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && is_xdigit(text[i + 1]) && is_xdigit(text[i + 2])) {
            raw += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            raw += text[i];
        }
    }
    // Invalid UTF-8 decodes to U+FFFD, as Python's errors="replace".
    std::string out;
    for (std::size_t i = 0; i < raw.size();) {
        const unsigned char c = static_cast<unsigned char>(raw[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = n > 0 && i + n <= raw.size();
        for (std::size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(raw[i + k]) >> 6) == 2;
        if (ok) {
            out.append(raw, i, n);
            i += n;
        } else {
            out += "\xef\xbf\xbd";
            ++i;
        }
    }
    return out;
}

bool to_bool(const Json& v) {
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number()) return v.get<double>() != 0;
    if (v.is_string()) {
        const std::string s = ascii_lower(strip(v.get<std::string>()));
        return s == "1" || s == "true" || s == "yes" || s == "on";
    }
    if (v.is_null()) return false;
    return !v.empty();
}

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace benchstore
