// The few cryptographic primitives authentication needs, on OpenSSL. All
// byte strings are std::string holding raw bytes.
#pragma once

#include <string>

namespace wcfdw {

// Raw 20-byte and 32-byte MACs (not hex, not base64).
std::string hmac_sha1(const std::string& key, const std::string& data);
std::string hmac_sha256(const std::string& key, const std::string& data);

// Standard alphabet with '=' padding, no line breaks (RFC 4648 section 4).
std::string base64_encode(const std::string& bytes);

// 32 lower-case hex characters from 16 bytes of RAND_bytes: unique enough
// that a store never sees the same OAuth nonce twice within its 15-minute
// window. Throws WooError(Internal) if the generator is not seeded.
std::string random_nonce();

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
