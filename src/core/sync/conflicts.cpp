#include "core/sync/conflicts.hpp"

#include <algorithm>
#include <set>

#include "core/sync/store_terms.hpp"
#include "core/woo/store_rules.hpp"

namespace wcfdw::sync {

std::map<std::int64_t, Json> read_current_versions(StoreClient& client, const std::vector<StoreRef>& refs,
                                                   const std::vector<std::string>& members) {
    std::string fields = "id,date_modified_gmt";
    for (const auto& m : members) fields += "," + m;
    // Products by 100; variations by parent, 100 at a time.
    std::map<std::int64_t, std::vector<std::int64_t>> groups;  // parent (0: products) -> ids
    for (const auto& r : refs) groups[r.parent_woo_id].push_back(r.woo_id);
    std::vector<HttpRequest> requests;
    for (const auto& [parent, ids] : groups)
        for (std::size_t s = 0; s < ids.size(); s += 100) {
            std::string include;
            for (std::size_t k = s; k < std::min(ids.size(), s + 100); ++k)
                include += (include.empty() ? "" : ",") + std::to_string(ids[k]);
            const std::string path = parent ? "products/" + std::to_string(parent) + "/variations" : "products";
            requests.push_back(client.make_request(
                HttpMethod::Get, path,
                {{"include", include}, {"per_page", "100"}, {"context", "edit"}, {"_fields", fields}}));
        }
    std::map<std::int64_t, Json> out;
    const auto responses = client.http().perform_all(requests);
    for (std::size_t i = 0; i < responses.size(); ++i) {
        Json body = checked_body(client, requests[i], responses[i]);
        if (!body.is_array()) continue;
        for (auto& o : body) {
            const std::int64_t id = o.is_object() ? json_int(o.value("id", Json())) : 0;  // before o is moved from
            if (id) out[id] = std::move(o);
        }
    }
    return out;
}

std::vector<std::string> changed_in_store(const Json& last, const std::vector<std::string>& fields, const Json& object,
                                          const TermIndex& terms, bool is_variation, bool is_variable) {
    const std::string modified = text_of(object.value("date_modified_gmt", Json()));
    const std::string exchanged = last.is_object() ? text_of(last.value("date_modified_gmt", Json())) : "";
    if (modified.empty() || exchanged.empty() || modified <= exchanged) return {};
    std::vector<std::string> known;
    for (const auto& f : fields)
        if (last.contains(f)) known.push_back(f);
    const Json image_ids = last.value("_image_ids", Json::object());
    const Json payload = build_payload(last, known, terms, image_ids, is_variation, is_variable);
    std::vector<std::string> out;
    for (const auto& u : unkept_members(payload, object)) out.push_back(u.member == "image" ? "images" : u.member);
    return out;
}

}  // namespace wcfdw::sync
