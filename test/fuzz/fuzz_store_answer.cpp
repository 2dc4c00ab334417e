// The response-to-cells path: an HTTP answer (status, pagination headers,
// Location, Content-Type, body) through the answer checks, the pagination
// headers, a scan page's checks and the row converter, for a products
// table with a column of every kind. Any exception other than WooError, any
// XX000, any message that is not UTF-8 or quotes the secret is a crash.
#include <cstdint>
#include <string>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "core/scan/row_converter.hpp"
#include "core/scan/scan_page.hpp"
#include "core/woo/pagination.hpp"
#include "core/woo/store_answer.hpp"
#include "fuzz_check.hpp"

namespace {

using namespace wcfdw;

const RowConverter& converter() {
    static const RowConverter c("fuzz_products", *find_resource("products"),
                                {{"id", ColumnType::BigInt, "id", ColumnSource::Member},
                                 {"name", ColumnType::Text, "name", ColumnSource::Member},
                                 {"price", ColumnType::Numeric, "price", ColumnSource::Member},
                                 {"featured", ColumnType::Boolean, "featured", ColumnSource::Member},
                                 {"stock_quantity", ColumnType::Integer, "stock_quantity", ColumnSource::Member},
                                 {"date_created", ColumnType::TimestampTz, "date_created_gmt", ColumnSource::Member},
                                 {"weight", ColumnType::Numeric, "dimensions.weight", ColumnSource::Member},
                                 {"meta_data", ColumnType::Jsonb, "meta_data", ColumnSource::Member},
                                 {"type", ColumnType::Other, "type", ColumnSource::Member},
                                 {"parent_id", ColumnType::BigInt, "parent_id", ColumnSource::PathParent},
                                 {"category", ColumnType::BigInt, "categories", ColumnSource::TermFilter},
                                 {"attrs", ColumnType::Jsonb, "", ColumnSource::WholeObject}});
    return c;
}

void convert_rows(ScanPage& page) {
    std::vector<Cell> cells;
    for (std::size_t i = 0; i < page.rows.size(); ++i) {
        std::vector<UnrepresentableNumber> numbers;
        for (const auto& [row, number] : page.unrepresentable)
            if (row == i) numbers.push_back(number);
        try {
            converter().convert(page.rows[i], "7", cells, &numbers);
            for (const Cell& cell : cells)
                if (cell.kind == Cell::Text) fuzz::check_text(cell.text, "cell");
        } catch (const WooError& e) {
            fuzz::check_error(e);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    HttpResponse r;
    static const long statuses[] = {200, 200, 200, 201, 204, 301, 302, 400, 401, 404, 429, 500, 503};
    r.status = in.ConsumeBool() ? in.PickValueInArray(statuses) : in.ConsumeIntegralInRange<long>(0, 1000);
    static const char* types[] = {"application/json; charset=UTF-8", "text/html; charset=UTF-8", "", "text/plain"};
    r.headers["content-type"] = in.PickValueInArray(types);
    if (in.ConsumeBool()) r.headers["x-wp-total"] = in.ConsumeRandomLengthString(24);
    if (in.ConsumeBool()) r.headers["x-wp-totalpages"] = in.ConsumeRandomLengthString(24);
    if (in.ConsumeBool()) r.headers["location"] = in.ConsumeRandomLengthString(80) + fuzz::kSecret;
    if (in.ConsumeBool()) r.headers["retry-after"] = in.ConsumeRandomLengthString(40);
    r.retries = in.ConsumeIntegralInRange(0, 3);
    r.retry_end = static_cast<HttpResponse::RetryEnd>(in.ConsumeIntegralInRange(0, 4));
    r.retry_wait_ms = in.ConsumeIntegralInRange<long>(0, 100000000);
    const bool item = in.ConsumeBool();
    r.body = in.ConsumeRemainingBytesAsString();
    const std::string description = "GET https://shop.example/wp-json/wc/v3/products?per_page=100";
    try {
        read_page_headers(r, description);
        JsonDocument doc = parse_json_document(r, description, {fuzz::kSecret});
        StoreResponse answer;
        answer.http = r;
        if (r.status >= 400) {
            fuzz::check_error(error_from_response(r, doc.value, description, {fuzz::kSecret}));
            return 0;
        }
        answer.body = std::move(doc.value);
        answer.unrepresentable = std::move(doc.unrepresentable);
        ScanPage page = checked_page(std::move(answer), item, description);
        convert_rows(page);
    } catch (const WooError& e) {
        fuzz::check_error(e);
    }
    return 0;
}
