// The WordPress and WooCommerce text functions the test store ports
// (woostore_lib/common.py), ported once more: what the benchmark store stores
// for a name, a slug, a price must be what the test store stores.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "catalog_model.hpp"
#include "json_text.hpp"

namespace benchstore {

// wp_kses_normalize_entities(): a bare '&' becomes "&amp;".
std::string kses_normalize(std::string_view text);
// sanitize_title() with sanitize_title_with_dashes(..., 'save'). Accented
// Latin letters are transliterated as the test store does (latin_letters.inc),
// other letters lower-cased as Python does (unicode_lower.inc).
std::string sanitize_title(std::string_view title);
// urllib.parse.unquote(): %XX sequences decoded (invalid UTF-8 becomes U+FFFD).
std::string unquote(std::string_view text);
// wc_clean(): tags removed, surrounding whitespace trimmed.
std::string wc_clean(std::string_view text);
// wc_format_decimal() of a JSON value (string, number, bool, null).
std::string wc_format_decimal(const Json& value);
// float(value) as Python parses it; nullopt when it does not parse.
std::optional<double> price_decimal(std::string_view text);
// wc_price(): the amount in its spans, with the store's decimals,
// separators and currency position; aria-hidden on the outer span if hidden.
std::string wc_price(const PriceFormat& format, std::string_view amount, bool hidden = false);
// wp_strip_all_tags(wc_price()): the symbol and the number, placed.
std::string price_text(const PriceFormat& format, std::string_view amount);
// "%.2f" of a double, as Python formats it.
std::string format_2f(double value);
// to_bool() of the test store.
bool to_bool(const Json& value);
std::string ascii_lower(std::string_view text);
// Python's str.strip() for ASCII whitespace.
std::string strip(std::string_view text);

}  // namespace benchstore
