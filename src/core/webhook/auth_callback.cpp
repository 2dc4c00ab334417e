#include "core/webhook/auth_callback.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/base/text.hpp"
#include "core/base/woo_error.hpp"

namespace wcfdw::webhook {
namespace {

using Json = nlohmann::json;

WooError bad(const std::string& what) {
    return WooError(ErrorKind::InvalidArgument, "invalid wc-auth callback: " + what,
                    "WooCommerce posts {key_id, user_id, consumer_key, consumer_secret, key_permissions} as JSON.");
}

// ck_/cs_ followed by 8 to 128 letters or digits (WooCommerce: 40 hex).
bool key_shaped(const std::string& text, const char* prefix) {
    if (text.size() < 11 || text.size() > 131 || text.compare(0, 3, prefix) != 0) return false;
    return std::all_of(text.begin() + 3, text.end(), [](char c) { return is_ascii_alnum(c); });
}

std::string member(const Json& body, const char* name) {
    const auto it = body.find(name);
    if (it == body.end() || !it->is_string()) throw bad(std::string("\"") + name + "\" is missing or not a string");
    return it->get<std::string>();
}

}  // namespace

AuthCallback::~AuthCallback() {
    OPENSSL_cleanse(consumer_secret.data(), consumer_secret.size());
}

AuthCallback parse_auth_callback(std::string_view body) {
    if (body.size() > kMaxAuthCallbackBytes) throw bad("the body is larger than 16 kB");
    Json parsed = Json::parse(body.begin(), body.end(), nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) throw bad("the body is not a JSON object");
    AuthCallback out;
    const auto key_id = parsed.find("key_id");
    if (key_id == parsed.end() || !key_id->is_number_integer() || key_id->get<std::int64_t>() <= 0)
        throw bad("\"key_id\" is missing or not a positive integer");
    out.key_id = key_id->get<std::int64_t>();
    out.state = member(parsed, "user_id");
    if (out.state.empty() || out.state.size() > 128 || !std::all_of(out.state.begin(), out.state.end(), is_ascii_alnum))
        throw bad("\"user_id\" is not a state token this database issued");
    out.consumer_key = member(parsed, "consumer_key");
    if (!key_shaped(out.consumer_key, "ck_")) throw bad("\"consumer_key\" is not a WooCommerce consumer key");
    out.consumer_secret = member(parsed, "consumer_secret");
    auto& secret_in_json = parsed["consumer_secret"].get_ref<std::string&>();
    OPENSSL_cleanse(secret_in_json.data(), secret_in_json.size());
    if (!key_shaped(out.consumer_secret, "cs_")) throw bad("\"consumer_secret\" is not a WooCommerce consumer secret");
    out.permissions = member(parsed, "key_permissions");
    if (out.permissions != "read" && out.permissions != "write" && out.permissions != "read_write")
        throw bad("\"key_permissions\" is not read, write or read_write");
    return out;
}

std::string sha256_hex(std::string_view text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        throw WooError(ErrorKind::Internal, "SHA-256 failed in OpenSSL");
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0x0F];
    }
    return out;
}

}  // namespace wcfdw::webhook
