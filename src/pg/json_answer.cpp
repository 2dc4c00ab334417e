#include <cstring>
#include <string>

#include <nlohmann/json.hpp>

#include "pg/error_bridge.hpp"
#include "pg/json_answer.hpp"
#include "pg/text_encoding.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

namespace {

// The first string that does not fit, as plain data for the error.
struct Misfit {
    bool found = false;
    bool nul = false;
    char path[256] = {0};
    char object[96] = {0};
};

bool is_message_member(const std::string& key) {
    for (const char* word : {"error", "warning", "note", "message", "hint", "detail"})
        if (key.find(word) != std::string::npos) return true;
    return false;
}

// The object a value belongs to, as the answer names it.
std::string object_of(const nlohmann::json& object, const std::string& outer) {
    for (const char* key : {"woo_product_id", "product_id", "id"}) {
        const auto it = object.find(key);
        if (it != object.end() && it->is_number_integer())
            return std::string(std::strcmp(key, "product_id") == 0 ? "product " : "WooCommerce product ") +
                   std::to_string(it->get<std::int64_t>());
    }
    return outer;
}

// How much of `text` the database can hold (U+0000 never).
std::size_t holdable_prefix(const std::string& text) {
    const std::size_t nul = text.find('\0');
    const int limit = static_cast<int>(nul == std::string::npos ? text.size() : nul);
    return static_cast<std::size_t>(pg_call(server_can_hold, text.c_str(), limit));
}

// `text` with '?' for every character the database cannot hold.
std::string as_message(const std::string& text) {
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t n = holdable_prefix(text.substr(pos));
        out.append(text, pos, n);
        pos += n;
        if (pos >= text.size()) break;
        out += '?';
        // Skip the whole UTF-8 character.
        ++pos;
        while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
    }
    return out;
}

void fit(nlohmann::json& value, const std::string& path, bool message, const std::string& object, Misfit& misfit) {
    if (value.is_string()) {
        std::string& text = value.get_ref<std::string&>();
        if (holdable_prefix(text) == text.size() && text.find('\0') == std::string::npos) return;
        if (message) {
            text = as_message(text);
        } else if (!misfit.found) {
            misfit.found = true;
            misfit.nul = text.find('\0') != std::string::npos && holdable_prefix(text) == text.find('\0');
            strlcpy(misfit.path, path.c_str(), sizeof misfit.path);
            strlcpy(misfit.object, object.c_str(), sizeof misfit.object);
        }
    } else if (value.is_object()) {
        const std::string inner = object_of(value, object);
        for (auto it = value.begin(); it != value.end(); ++it)
            fit(it.value(), path.empty() ? it.key() : path + "." + it.key(), message || is_message_member(it.key()),
                inner, misfit);
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i)
            fit(value[i], path + "[" + std::to_string(i) + "]", message, object, misfit);
    }
}

}  // namespace

const char* json_answer_to_server(char* utf8_json, const char* what, bool all_messages) {
    const int len = static_cast<int>(strlen(utf8_json));
    // The common case: everything fits (always in a UTF8 database).
    if (server_can_hold(utf8_json, len) < len || strstr(utf8_json, "\\u0000")) {
        Misfit misfit;
        PendingError pending;
        if (!run_cpp(pending, [&] {
                nlohmann::json answer = nlohmann::json::parse(utf8_json);
                fit(answer, "", all_messages, "", misfit);
                utf8_json = pstrdup_guarded(answer.dump());
            }))
            raise_pending_error(pending);
        if (misfit.found)
            ereport(ERROR, (errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
                            errmsg("%s: the store sent %s that database encoding \"%s\" cannot hold", what,
                                   misfit.nul ? "the character U+0000" : "a character", database_encoding_name()),
                            errdetail("Member %s of the answer%s%s. Nothing was written locally.", misfit.path,
                                      misfit.object[0] ? ", " : "", misfit.object),
                            errhint(misfit.nul ? "Remove the character from the text in WooCommerce."
                                               : "Use a database with encoding UTF8 for this store, or change the "
                                                 "text in WooCommerce.")));
    }
    int out_len;
    return store_text_to_server(utf8_json, static_cast<int>(strlen(utf8_json)), &out_len,
                                TextOrigin{what, nullptr, 0});
}

}  // namespace wcfdw::pg
