#include "catalog_model.hpp"

namespace benchstore {

Post blank_post(std::int64_t id, bool variation, Time now) {
    Post p;
    p.id = id;
    p.is_variation = variation;
    p.date_created = p.date_modified = now;
    p.type = variation ? "variation" : "simple";
    p.tax_class = variation ? "parent" : "";
    return p;
}

}  // namespace benchstore
