#include "core/woo/store_rules.hpp"

#include <algorithm>
#include <set>

#include "core/base/text.hpp"
#include "core/woo/store_client.hpp"

namespace wcfdw {
namespace {

using Json = nlohmann::json;

bool is_blank(const Json& v) {
    return v.is_null() || (v.is_string() && trim_ascii_space(v.get<std::string>()).empty());
}

// "12.50" and "12.5" are the same price; "0012" and "12" the same number.
bool decimal_parts(const std::string& s, std::string& sign, std::string& whole, std::string& frac) {
    std::size_t i = 0;
    sign.clear();
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) sign = s[i++] == '-' ? "-" : "";
    const std::size_t dot = s.find('.', i);
    whole = s.substr(i, dot == std::string::npos ? std::string::npos : dot - i);
    frac = dot == std::string::npos ? std::string() : s.substr(dot + 1);
    if (whole.empty() && frac.empty()) return false;
    for (char c : whole + frac)
        if (!is_ascii_digit(c)) return false;
    whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size()));
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    if (whole.empty() && frac.empty()) sign.clear();
    return true;
}

bool same_decimal(const std::string& a, const std::string& b, bool& both_decimal) {
    std::string sa, wa, fa, sb, wb, fb;
    both_decimal = decimal_parts(trim_ascii_space(a), sa, wa, fa) && decimal_parts(trim_ascii_space(b), sb, wb, fb);
    return both_decimal && sa == sb && wa == wb && fa == fb;
}

std::string scalar_text(const Json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return {};
    return v.dump();
}

// Text as a reader of the shop sees it: entities decoded, outer blanks gone.
std::string visible_text(const Json& v) { return trim_ascii_space(decode_html_entities(scalar_text(v))); }

std::string folded(const Json& v) { return ascii_lower(visible_text(v)); }

bool same_scalar(const Json& sent, const Json& got) {
    if (is_blank(sent)) return is_blank(got);
    if (sent.is_boolean() || got.is_boolean()) {
        auto truth = [](const Json& v) {
            if (v.is_boolean()) return v.get<bool>();
            const std::string t = ascii_lower(scalar_text(v));
            return t == "true" || t == "yes" || t == "1";
        };
        return !got.is_null() && truth(sent) == truth(got);
    }
    bool decimals = false;
    if (same_decimal(scalar_text(sent), scalar_text(got), decimals)) return true;
    if (decimals) return false;
    return visible_text(sent) == visible_text(got);
}

std::set<std::string> folded_strings(const Json& list) {
    std::set<std::string> out;
    if (list.is_array())
        for (const auto& x : list) out.insert(folded(x));
    else if (!is_blank(list))
        out.insert(folded(list));
    return out;
}

bool same_options(const Json& sent, const Json& got) {
    const Json& s = sent.contains("options") ? sent["options"] : sent.value("option", Json());
    const Json& g = got.contains("options") ? got["options"] : got.value("option", Json());
    const auto want = folded_strings(s);
    const auto have = folded_strings(g);
    return std::includes(have.begin(), have.end(), want.begin(), want.end());
}

std::int64_t id_of(const Json& o) {
    if (!o.is_object()) return 0;
    const Json& id = o.value("id", Json());
    if (id.is_number_integer()) return id.get<std::int64_t>();
    if (id.is_string()) {
        try {
            return std::stoll(id.get<std::string>());
        } catch (...) {
        }
    }
    return 0;
}

// One element of a sent array of objects, found in the answer's array.
bool element_kept(const Json& want, const Json& got) {
    if (!got.is_array()) return false;
    if (want.contains("key")) {  // meta_data
        for (const auto& g : got)
            if (g.is_object() && scalar_text(g.value("key", Json())) == scalar_text(want["key"]))
                return same_scalar(want.value("value", Json()), g.value("value", Json())) ||
                       (want.value("value", Json()).is_structured() && want["value"] == g.value("value", Json()));
        return is_blank(want.value("value", Json()));
    }
    const bool has_options = want.contains("options") || want.contains("option");
    if (const std::int64_t id = id_of(want)) {
        for (const auto& g : got)
            if (id_of(g) == id) return !has_options || same_options(want, g);
        return false;
    }
    if (want.contains("name")) {
        const std::string name = folded(want["name"]);
        for (const auto& g : got)
            if (g.is_object() && (folded(g.value("name", Json())) == name || folded(g.value("slug", Json())) == name))
                return !has_options || same_options(want, g);
        return false;
    }
    return true;  // images by src: counted by the caller
}

bool array_kept(const Json& sent, const Json& got) {
    if (!got.is_array()) return sent.empty() && got.is_null();
    if (sent.empty()) return true;
    std::size_t by_src = 0;
    for (const auto& want : sent) {
        if (want.is_object()) {
            if (want.contains("src") && !id_of(want)) ++by_src;
            if (!element_kept(want, got)) return false;
        } else {
            bool found = false;
            for (const auto& g : got) found = found || same_scalar(want, g);
            if (!found) return false;
        }
    }
    return by_src == 0 || got.size() >= sent.size();
}

bool value_kept(const Json& sent, const Json& got);

bool object_kept(const Json& sent, const Json& got) {
    if (!got.is_object()) return false;
    for (auto it = sent.begin(); it != sent.end(); ++it)
        if (!value_kept(it.value(), got.value(it.key(), Json()))) return false;
    return true;
}

bool value_kept(const Json& sent, const Json& got) {
    if (sent.is_array()) return array_kept(sent, got);
    if (sent.is_object()) return sent.empty() || object_kept(sent, got);
    return same_scalar(sent, got);
}

// A variation's image: the same media id, or a new one for a src.
bool image_kept(const Json& sent, const Json& got) {
    if (!sent.is_object() || sent.empty()) return got.is_null() || (got.is_object() && !id_of(got));
    const std::int64_t id = id_of(sent);
    return id ? id_of(got) == id : id_of(got) > 0;
}

bool answer_flag(const Json& answer, const char* key) {
    const Json& v = answer.value(key, Json());
    return v.is_boolean() && v.get<bool>();
}

std::string reason_for(const std::string& member, const Json& sent, const Json& answer) {
    const std::string type = answer.value("type", Json()).is_string() ? answer["type"].get<std::string>() : "";
    const bool variation = answer.value("parent_id", Json()).is_number_integer() &&
                           answer["parent_id"].get<std::int64_t>() > 0 && type == "variation";
    if ((member == "stock_quantity" || member == "backorders" || member == "low_stock_amount") &&
        !answer_flag(answer, "manage_stock"))
        return "WooCommerce keeps " + member + " only when manage_stock is true";
    if (member == "stock_status" && answer_flag(answer, "manage_stock"))
        return "with manage_stock, WooCommerce sets stock_status from the stock quantity";
    if ((member == "regular_price" || member == "sale_price" || member.rfind("date_on_sale", 0) == 0) &&
        (type == "variable" || type == "grouped"))
        return type + " products have no prices of their own in WooCommerce: set them on the " +
               (type == "variable" ? "variations" : "grouped products");
    if (member == "stock_status" && type == "variable")
        return "a variable product takes its stock status from its variations";
    if (member == "attributes" && variation)
        return "a variation keeps only the attributes its parent product has as variation attributes";
    if ((member == "name" || member == "description" || member == "short_description") &&
        scalar_text(sent).find('<') != std::string::npos)
        return "WooCommerce filters the HTML of product texts";
    return {};
}

std::string shown(const Json& v) {
    std::string s = v.is_string() ? "\"" + v.get<std::string>() + "\"" : v.dump();
    if (s.size() > 80) s = s.substr(0, 77) + "...";
    return sanitize_utf8(s);
}

}  // namespace

std::vector<UnkeptMember> unkept_members(const Json& sent, const Json& answer) {
    std::vector<UnkeptMember> out;
    if (!sent.is_object() || !answer.is_object()) return out;
    for (auto it = sent.begin(); it != sent.end(); ++it) {
        const std::string& member = it.key();
        if (member == "id") continue;
        const Json& got = answer.value(member, Json());
        if (member == "image" ? image_kept(it.value(), got) : value_kept(it.value(), got)) continue;
        out.push_back({member, it.value(), got, reason_for(member, it.value(), answer)});
    }
    return out;
}

std::string describe_unkept(const UnkeptMember& u, const std::string& sent_word) {
    std::string text = u.member + " (" + sent_word + " " + shown(u.sent) + ", the store has " + shown(u.kept);
    if (!u.reason.empty()) text += ": " + u.reason;
    return text + ")";
}

std::string describe_unkept(const std::vector<UnkeptMember>& unkept, const std::string& lead,
                            const std::string& sent_word) {
    std::string text;
    for (const auto& u : unkept) text += (text.empty() ? "" : "; ") + describe_unkept(u, sent_word);
    return text.empty() ? text : lead + " " + text;
}

std::string sale_not_applied(const Json& sent, const Json& answer) {
    if (!sent.is_object() || !answer.is_object() || is_blank(sent.value("sale_price", Json()))) return {};
    if (is_blank(answer.value("sale_price", Json())) || answer_flag(answer, "on_sale")) return {};
    const Json& on_sale = answer.value("on_sale", Json());
    if (!on_sale.is_boolean()) return {};  // an answer without WooCommerce's computed flag
    // A sale that starts later is not on sale yet, as intended.
    const std::string from = scalar_text(answer.value("date_on_sale_from_gmt", Json()));
    const std::string now = scalar_text(answer.value("date_modified_gmt", Json()));
    if (!from.empty() && !now.empty() && from > now) return {};
    const std::string regular = scalar_text(answer.value("regular_price", Json()));
    const std::string to = scalar_text(answer.value("date_on_sale_to_gmt", Json()));
    std::string why = regular.empty() ? "it has no regular price"
                                      : "WooCommerce applies a sale price only below the regular price (" + regular + ")";
    if (!to.empty() && !now.empty() && to < now) why = "its sale ended on " + to + " (GMT)";
    return "sale_price " + scalar_text(answer["sale_price"]) + " is kept but the product is not on sale: " + why;
}

bool store_computes(const std::string& field, const std::string& product_type, bool manage_stock) {
    const bool no_own_prices = product_type == "variable" || product_type == "grouped";
    if (field == "stock_status") return manage_stock || product_type == "variable";
    if (field == "regular_price" || field == "sale_price" || field.rfind("date_on_sale_", 0) == 0) return no_own_prices;
    return false;
}

}  // namespace wcfdw
