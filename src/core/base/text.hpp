// Small ASCII text helpers shared by the core. Locale-independent on purpose:
// header names, URL schemes and option values are ASCII by protocol, and a
// backend's LC_CTYPE must not change how they compare.
#pragma once

#include <string>

namespace wcfdw {

// A-Z become a-z; every other byte (UTF-8 included) is left as is.
std::string ascii_lower(std::string text);
std::string ascii_upper(std::string text);

bool is_ascii_digit(char c) noexcept;
bool is_ascii_alnum(char c) noexcept;

// Without leading and trailing spaces, tabs, CR and LF.
std::string trim_ascii_space(const std::string& text);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
