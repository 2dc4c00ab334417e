#include "core/transport/crypto.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "core/base/woo_error.hpp"

namespace wcfdw {
namespace {

std::string hmac(const EVP_MD* digest, const std::string& key, const std::string& data) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    if (!HMAC(digest, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
              data.size(), mac, &mac_len))
        throw WooError(ErrorKind::Internal, "HMAC computation failed in OpenSSL");
    return std::string(reinterpret_cast<const char*>(mac), mac_len);
}

}  // namespace

std::string hmac_sha1(const std::string& key, const std::string& data) {
    return hmac(EVP_sha1(), key, data);
}

std::string hmac_sha256(const std::string& key, const std::string& data) {
    return hmac(EVP_sha256(), key, data);
}

std::string base64_encode(const std::string& bytes) {
    if (bytes.empty()) return {};
    // EVP_EncodeBlock writes 4 characters per started 3-byte group plus a NUL.
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&out[0]),
                                        reinterpret_cast<const unsigned char*>(bytes.data()),
                                        static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

std::string random_nonce() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        throw WooError(ErrorKind::Internal, "could not generate an OAuth nonce: OpenSSL's random generator failed");
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * sizeof bytes);
    for (const unsigned char b : bytes) {
        out += kHex[b >> 4];
        out += kHex[b & 0x0F];
    }
    return out;
}

}  // namespace wcfdw
