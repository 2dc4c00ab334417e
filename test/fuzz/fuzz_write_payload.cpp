// The write payload builder: any row a statement can write (values of
// every kind, jsonb and attrs text included) becomes a JSON body or a
// WooError, and the body always prints (no recursion deeper than the JSON
// reader allows, no invalid UTF-8 escaping as an exception).
#include <cstdint>
#include <string>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "core/base/json_reader.hpp"
#include "core/write/write_payload.hpp"
#include "fuzz_check.hpp"

namespace {

using namespace wcfdw;

const std::vector<WriteColumn>& columns() {
    static const std::vector<WriteColumn> c = {
        {"name", ColumnType::Text, "name", ColumnSource::Member},
        {"sku", ColumnType::Text, "sku", ColumnSource::Member},
        {"regular_price", ColumnType::Numeric, "regular_price", ColumnSource::Member},
        {"status", ColumnType::Text, "status", ColumnSource::Member},
        {"featured", ColumnType::Boolean, "featured", ColumnSource::Member},
        {"stock_quantity", ColumnType::Integer, "stock_quantity", ColumnSource::Member},
        {"date_on_sale_from", ColumnType::TimestampTz, "date_on_sale_from_gmt", ColumnSource::Member},
        {"weight", ColumnType::Numeric, "dimensions.weight", ColumnSource::Member},
        {"meta_data", ColumnType::Jsonb, "meta_data", ColumnSource::Member},
        {"attrs", ColumnType::Jsonb, "", ColumnSource::WholeObject},
    };
    return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    static const PayloadBuilder builder("fuzz_products", *find_resource("products"), columns());
    std::vector<WriteValue> values(columns().size());
    for (auto& v : values) {
        v.kind = static_cast<WriteValue::Kind>(in.ConsumeIntegralInRange(0, 4));
        v.i = in.ConsumeIntegral<std::int64_t>();
        v.b = in.ConsumeBool();
        // PostgreSQL hands over valid text in the database encoding, which
        // the PostgreSQL layer converts to UTF-8.
        v.text = sanitize_utf8(in.ConsumeRandomLengthString(4096));
    }
    const bool insert = in.ConsumeBool();
    try {
        builder.check_writable();
        const nlohmann::json body = builder.build(values, "row 1", insert);
        const std::string text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        fuzz::check_text(describe_item(body, "row 1"), "row label", false);
        // What is sent reads back as what was built.
        if (read_json(text).value != body) std::abort();
    } catch (const WooError& e) {
        fuzz::check_error(e, false);  // quotes the row's own values
    }
    return 0;
}
