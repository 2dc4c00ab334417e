// What every harness asserts beyond "no crash": the core only ever throws
// WooError (anything else would reach PostgreSQL as an internal error,
// XX000), and what an error says is valid UTF-8 (it goes into a PostgreSQL
// message) and never holds the secret the harness gave the core.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/base/woo_error.hpp"

namespace wcfdw::fuzz {

constexpr const char* kSecret = "cs_fuzz_secret_0123456789abcdef";

// `secret_free`: false where the input itself is the user's own text (a
// setting an error may quote), which holds no secret of the core's.
inline void check_text(const std::string& text, const char* what, bool secret_free = true) {
    if (sanitize_utf8(text) != text) {
        std::fprintf(stderr, "%s is not valid UTF-8: %s\n", what, text.c_str());
        std::abort();
    }
    if (secret_free && text.find(kSecret) != std::string::npos) {
        std::fprintf(stderr, "%s holds the secret: %s\n", what, text.c_str());
        std::abort();
    }
}

inline void check_error(const WooError& e, bool secret_free = true) {
    check_text(e.what(), "message", secret_free);
    check_text(e.detail(), "detail", secret_free);
    check_text(e.hint(), "hint", secret_free);
    if (std::string(e.sqlstate()) == "XX000") {
        std::fprintf(stderr, "internal error for store input: %s\n", e.what());
        std::abort();
    }
}

}  // namespace wcfdw::fuzz
