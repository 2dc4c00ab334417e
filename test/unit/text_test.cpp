#include "core/base/text.hpp"

#include <string>

#include <gtest/gtest.h>


namespace wcfdw {
namespace {

// Locale-independent by design: the backend runs under the database's
// LC_CTYPE, where a Latin-1 locale calls 0xE9 a letter.
TEST(AsciiText, TouchesOnlyAscii) {
    EXPECT_EQ(ascii_lower("Content-TYPE \xC3\x89"), "content-type \xC3\x89");
    EXPECT_EQ(ascii_upper("get \xC3\xA9i"), "GET \xC3\xA9I");
    EXPECT_EQ(trim_ascii_space(" \t a b \r\n"), "a b");
    EXPECT_EQ(trim_ascii_space("   "), "");
    EXPECT_TRUE(is_ascii_alnum('z'));
    EXPECT_TRUE(is_ascii_alnum('0'));
    EXPECT_FALSE(is_ascii_alnum('_'));
    EXPECT_FALSE(is_ascii_alnum('\xE9'));
    EXPECT_FALSE(is_ascii_digit('\xB2'));  // superscript two in Latin-1
}

}  // namespace
}  // namespace wcfdw
