#include "core/webhook/signature.hpp"

#include <cstring>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "core/base/text.hpp"
#include "core/base/woo_error.hpp"
#include "core/transport/crypto.hpp"

namespace wcfdw::webhook {
namespace {

// wp_specialchars_decode with ENT_QUOTES, as strtr does it: at each position
// the longest entity that matches wins and the output is never rescanned.
// Numeric forms may carry leading zeros (WordPress normalises them with
// preg_replace first); hex only for the quote characters and '&'.
bool decode_numeric(const std::string& text, std::size_t at, std::size_t& length, char& out) {
    if (text.compare(at, 2, "&#") != 0) return false;
    std::size_t i = at + 2;
    const bool hex = i < text.size() && (text[i] == 'x' || text[i] == 'X');
    if (hex) ++i;
    const std::size_t digits_start = i;
    while (i < text.size() && text[i] == '0') ++i;
    std::string digits;
    while (i < text.size() && digits.size() < 3 &&
           (is_ascii_digit(text[i]) || (hex && std::strchr("abcdefABCDEF", text[i]) != nullptr)))
        digits += text[i++];
    if (i >= text.size() || text[i] != ';' || i == digits_start) return false;
    const std::string value = ascii_lower(digits);
    if (hex) {
        if (value == "22") out = '"';
        else if (value == "26") out = '&';
        else if (value == "27") out = '\'';
        else return false;
    } else {
        if (value == "34") out = '"';
        else if (value == "38") out = '&';
        else if (value == "39") out = '\'';
        else if (value == "60") out = '<';
        else if (value == "62") out = '>';
        else return false;
    }
    length = i + 1 - at;
    return true;
}

}  // namespace

std::string wp_specialchars_decode(const std::string& text) {
    static const struct { const char* entity; char ch; } kNamed[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}};
    if (text.find('&') == std::string::npos) return text;
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '&') {
            bool done = false;
            for (const auto& named : kNamed) {
                const std::size_t n = std::strlen(named.entity);
                if (text.compare(i, n, named.entity) == 0) {
                    out += named.ch;
                    i += n;
                    done = true;
                    break;
                }
            }
            if (done) continue;
            std::size_t length = 0;
            char ch = 0;
            if (decode_numeric(text, i, length, ch)) {
                out += ch;
                i += length;
                continue;
            }
        }
        out += text[i++];
    }
    return out;
}

std::string delivery_signature(const std::string& secret, const std::string& body) {
    return base64_encode(hmac_sha256(wp_specialchars_decode(secret), body));
}

bool constant_time_equal(const std::string& expected, const std::string& given) noexcept {
    // The length of a signature is public (44 characters for SHA-256); what
    // must not leak is how much of the content matched.
    if (given.size() != expected.size()) {
        (void)CRYPTO_memcmp(expected.data(), expected.data(), expected.size());
        return false;
    }
    return CRYPTO_memcmp(expected.data(), given.data(), expected.size()) == 0;
}

bool signature_matches(const std::string& secret, const std::string& body, const std::string& header) {
    if (secret.empty()) return false;
    return constant_time_equal(delivery_signature(secret, body), trim_ascii_space(header));
}

std::string generate_secret() {
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    constexpr std::size_t kLength = 48;
    std::string out;
    out.reserve(kLength);
    while (out.size() < kLength) {
        unsigned char bytes[64];
        if (RAND_bytes(bytes, sizeof bytes) != 1)
            throw WooError(ErrorKind::Internal, "could not generate a webhook secret: OpenSSL's random generator failed");
        // 62 symbols: take bytes below 248 (4 x 62) so every symbol is equally likely.
        for (const unsigned char b : bytes)
            if (b < 248 && out.size() < kLength) out += kAlphabet[b % 62];
    }
    return out;
}

}  // namespace wcfdw::webhook
