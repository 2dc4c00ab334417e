#include "core/sync/sync_engine.hpp"

#include <string>

#include "core/sync/exporter.hpp"
#include "core/sync/importer.hpp"
#include "core/sync/store_terms.hpp"

namespace wcfdw::sync {

using Json = nlohmann::json;

Json run_export(StoreClient& client, const Json& request, const ProgressFn& progress) {
    client.http().reset_stats();
    return export_products(client, request, progress);
}

Json run_import(StoreClient& client, const Json& request, const ProgressFn& progress, const WriteRoundFn& write_round) {
    client.http().reset_stats();
    return import_products(client, request, progress, write_round);
}

Json run_delete(StoreClient& client, const Json& request) {
    client.http().reset_stats();
    const std::int64_t id = json_int(request.value("woo_product_id", Json()));
    const std::int64_t parent = json_int(request.value("parent_woo_id", Json()));
    // Variations cannot be trashed (501 woocommerce_rest_trash_not_supported).
    const bool force = request.value("force", false) || parent != 0;
    const std::string path =
        parent ? "products/" + std::to_string(parent) + "/variations/" + std::to_string(id) : "products/" + std::to_string(id);
    const HttpRequest req = client.make_request(HttpMethod::Delete, path, {{"force", force ? "true" : "false"}});
    const HttpResponse resp = client.http().perform(req);
    const Json body = parse_json_body(resp, client.describe(req), client.secrets());
    Json out = {{"action", force ? "deleted" : "trashed"}, {"status", resp.status}, {"note", Json()}};
    const std::string code = body.is_object() ? body.value("code", std::string()) : std::string();
    if (resp.status == 410 && code == "woocommerce_rest_already_trashed") {
        out["note"] = "already in the store's trash";
    } else if (resp.status == 404 || code == "woocommerce_rest_product_invalid_id" ||
               code == "woocommerce_rest_product_variation_invalid_id") {
        out["action"] = "deleted";
        out["note"] = "not in the store any more";
    } else if (resp.status >= 400) {
        throw error_from_response(resp, body, client.describe(req), client.secrets());
    }
    const auto& stats = client.http().stats();
    out["requests"] = stats.requests;
    out["bytes"] = stats.bytes_received;
    return out;
}

void forget_store_terms(std::int64_t connection_id) { forget_terms(connection_id); }

}  // namespace wcfdw::sync
