#include "core/base/text.hpp"

namespace wcfdw {
namespace {

bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

}  // namespace

std::string ascii_lower(std::string text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

std::string ascii_upper(std::string text) {
    for (char& c : text)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return text;
}

bool is_ascii_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

bool is_ascii_alnum(char c) noexcept {
    return is_ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string trim_ascii_space(const std::string& text) {
    std::size_t first = 0;
    std::size_t last = text.size();
    while (first < last && is_ascii_space(text[first])) ++first;
    while (last > first && is_ascii_space(text[last - 1])) --last;
    return text.substr(first, last - first);
}

}  // namespace wcfdw
