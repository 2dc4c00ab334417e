// read_json: the limits in front of nlohmann's parser. Deep nesting is
// refused before anything is built (and never crashes), a member given
// twice is refused, numbers nlohmann cannot hold are nulls listed with
// their path and text, everything else parses as nlohmann would.
#include "core/base/json_reader.hpp"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

namespace wcfdw {
namespace {

using nlohmann::json;

JsonReadError::Problem problem_of(const std::string& text, std::size_t depth = kMaxJsonDepth) {
    try {
        read_json(text, depth);
    } catch (const JsonReadError& e) {
        return e.problem();
    }
    ADD_FAILURE() << "no error for " << text.substr(0, 80);
    return JsonReadError::Problem::Syntax;
}

std::string nested_arrays(std::size_t depth, const std::string& inner = "1") {
    return std::string(depth, '[') + inner + std::string(depth, ']');
}

TEST(JsonReader, ParsesWhatNlohmannParses) {
    const std::string text =
        R"( {"id": 12, "price": "9.50", "on_sale": false, "tags": [], "dimensions": {"weight": "1"},
            "ratio": 0.25, "big": 18446744073709551615, "low": -9223372036854775808, "name": "a \"q\" [x] {y}"} )";
    const JsonDocument doc = read_json(text);
    EXPECT_EQ(doc.value, json::parse(text));
    EXPECT_TRUE(doc.unrepresentable.empty());
}

TEST(JsonReader, HalfAMillionNestedArraysAreRefusedQuicklyWithoutACrash) {
    // About 1 MB, as the hostile store's meta_data answer.
    const std::string text = R"([{"id":1,"meta_data":[{"key":"k","value":)" + nested_arrays(500000) + "}]}]";
    const auto started = std::chrono::steady_clock::now();
    try {
        read_json(text);
        FAIL() << "accepted";
    } catch (const JsonReadError& e) {
        EXPECT_EQ(e.problem(), JsonReadError::Problem::TooDeep);
        EXPECT_LT(e.byte(), 300u);  // stopped where the limit was passed, not at the end
        EXPECT_NE(std::string(e.what()).find("256"), std::string::npos);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
}

TEST(JsonReader, DepthLimitIsExact) {
    EXPECT_NO_THROW(read_json(nested_arrays(kMaxJsonDepth)));
    EXPECT_EQ(problem_of(nested_arrays(kMaxJsonDepth + 1)), JsonReadError::Problem::TooDeep);
    EXPECT_EQ(problem_of(R"({"a":{"b":[1]}})", 2), JsonReadError::Problem::TooDeep);
    EXPECT_NO_THROW(read_json(R"({"a":{"b":1}})", 2));
    // Brackets inside strings are text, not nesting.
    EXPECT_NO_THROW(read_json(R"(["[[[[[[", "\"[[[[", "{{{{"])", 2));
}

TEST(JsonReader, MemberGivenTwiceIsRefused) {
    EXPECT_EQ(problem_of(R"({"id": 1, "id": 2})"), JsonReadError::Problem::DuplicateKey);
    EXPECT_EQ(problem_of(R"([{"id": 1, "meta": {"k": 1, "k": 1}}])"), JsonReadError::Problem::DuplicateKey);
    // The same name in sibling objects is fine.
    EXPECT_NO_THROW(read_json(R"([{"id": 1}, {"id": 2}])"));
    try {
        read_json(R"({"id": 1, "id": 2})");
    } catch (const JsonReadError& e) {
        EXPECT_NE(std::string(e.what()).find("\"id\""), std::string::npos);
    }
}

TEST(JsonReader, NumbersBeyondADoubleAreListedWithTheirPath) {
    const JsonDocument doc =
        read_json(R"([{"id": 1, "price": 1e400}, {"id": 2, "meta_data": [{"value": -2e999}]}, {"id": 3, "w": 1e-400}])");
    ASSERT_EQ(doc.unrepresentable.size(), 3u);
    EXPECT_EQ(json_path_text(doc.unrepresentable[0].path), "[0].price");
    EXPECT_EQ(doc.unrepresentable[0].text, "1e400");
    EXPECT_EQ(json_path_text(doc.unrepresentable[1].path), "[1].meta_data[0].value");
    EXPECT_EQ(doc.unrepresentable[1].text, "-2e999");
    EXPECT_EQ(json_path_text(doc.unrepresentable[2].path), "[2].w");
    // The rest of the document is intact; the numbers are null.
    EXPECT_TRUE(doc.value[0]["price"].is_null());
    EXPECT_EQ(doc.value[1]["id"], 2);
    EXPECT_TRUE(doc.value[1]["meta_data"][0]["value"].is_null());
    EXPECT_EQ(doc.value[2]["id"], 3);
}

TEST(JsonReader, IntegersBeyondSixtyFourBitsAreListedNotRounded) {
    const JsonDocument doc = read_json(R"({"id": 99999999999999999999, "n": -9223372036854775809, "ok": 18446744073709551615})");
    ASSERT_EQ(doc.unrepresentable.size(), 2u);
    EXPECT_EQ(doc.unrepresentable[0].text, "99999999999999999999");
    EXPECT_EQ(json_path_text(doc.unrepresentable[0].path), "id");
    EXPECT_EQ(doc.unrepresentable[1].text, "-9223372036854775809");
    EXPECT_EQ(doc.value["ok"].get<std::uint64_t>(), 18446744073709551615ULL);
}

TEST(JsonReader, ATopLevelNumberBeyondRangeHasAnEmptyPath) {
    const JsonDocument doc = read_json("1e400");
    ASSERT_EQ(doc.unrepresentable.size(), 1u);
    EXPECT_TRUE(doc.unrepresentable[0].path.empty());
    EXPECT_TRUE(doc.value.is_null());
}

TEST(JsonReader, AStoreStringThatLooksLikeAMarkerStaysAString) {
    // No unrepresentable numbers: a "\u0000#0" string is just text (which
    // the row converter refuses for its U+0000).
    const JsonDocument doc = read_json(R"(["\u0000#0"])");
    EXPECT_TRUE(doc.unrepresentable.empty());
    EXPECT_EQ(doc.value[0].get<std::string>(), std::string("\0#0", 3));
}

TEST(JsonReader, TruncatedSyntaxAndTrailingOutput) {
    EXPECT_EQ(problem_of(R"([{"id": 1, "name": "Hood)"), JsonReadError::Problem::Truncated);
    EXPECT_EQ(problem_of(""), JsonReadError::Problem::Truncated);
    EXPECT_EQ(problem_of("   "), JsonReadError::Problem::Truncated);
    EXPECT_EQ(problem_of(R"([{"id": 1},])"), JsonReadError::Problem::Syntax);
    // A PHP warning printed after the JSON.
    EXPECT_EQ(problem_of("[{\"id\": 1}]\n<br />\n<b>Warning</b>: x in y.php"), JsonReadError::Problem::Syntax);
    EXPECT_EQ(problem_of("[1, 2"), JsonReadError::Problem::Truncated);
    // With a marker in the text, positions still tell truncation apart.
    EXPECT_EQ(problem_of(R"([1e400, "abc)"), JsonReadError::Problem::Truncated);
}

TEST(JsonReader, ANulByteIsGarbageNotTruncation) {
    // nlohmann says "unexpected end of input" (3.11.2, Debian 12) or "empty
    // input" (3.11.3, Debian 13) at a NUL byte: the text did not end there.
    EXPECT_EQ(problem_of(std::string("\0\x01\x02[1]", 6)), JsonReadError::Problem::Syntax);
    EXPECT_EQ(problem_of(std::string("[1,\0 2]", 8)), JsonReadError::Problem::Syntax);
}

TEST(JsonReader, InvalidUtf8AndLoneSurrogatesAreSyntaxErrors) {
    EXPECT_EQ(problem_of("[\"\xFF\xFE\"]"), JsonReadError::Problem::Syntax);
    EXPECT_EQ(problem_of(R"(["\uD800"])"), JsonReadError::Problem::Syntax);
}

}  // namespace
}  // namespace wcfdw
