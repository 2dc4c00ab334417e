// Webhook signatures as WooCommerce makes them (WC_Webhook::generate_signature):
// base64 of HMAC-SHA256 over the raw body bytes, keyed with the webhook's
// secret after wp_specialchars_decode. Verification compares in constant time.
#pragma once

#include <string>

namespace wcfdw::webhook {

// The X-WC-Webhook-Signature WooCommerce sends for `body` under `secret`.
std::string delivery_signature(const std::string& secret, const std::string& body);

// Whether `header` (as received; surrounding blanks ignored) is the signature
// of `body` under `secret`. The comparison takes the same time wherever the
// first difference is; an empty secret never matches.
bool signature_matches(const std::string& secret, const std::string& body, const std::string& header);

// Equality in time that depends only on the length of `expected`.
bool constant_time_equal(const std::string& expected, const std::string& given) noexcept;

// WordPress's wp_specialchars_decode(..., ENT_QUOTES): WooCommerce decodes the
// stored secret this way before keying the HMAC, so a secret holding "&amp;"
// signs with "&".
std::string wp_specialchars_decode(const std::string& text);

// A fresh webhook secret: 48 characters of [A-Za-z0-9] from OpenSSL's
// generator (about 285 bits), nothing WordPress would escape or decode.
std::string generate_secret();

}  // namespace wcfdw::webhook

#include "core/base/pure_cpp.hpp"
