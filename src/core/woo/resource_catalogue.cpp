// The catalogue: one row per WooCommerce resource a foreign table can show.
// Every fact here is WooCommerce's and is checked against what a real
// WooCommerce 10 publishes (its route index and OPTIONS schemas, extracted
// from woo-reference/real/ into test/store/woostore_lib/data/routes.json)
// by test/unit/resource_catalogue_test.cpp: the routes and their methods,
// list parameters and their enumerations, read-only members, required
// create arguments. What the captures cannot show (lists answered without
// X-WP-Total, text keys, which members the controllers write although the
// schema calls them read-only) carries its source in a comment.
#include "core/woo/resources.hpp"

namespace wcfdw {

namespace {

using Values = std::vector<std::string>;

const Values kProductStatus = {"draft", "pending", "private", "publish", "future", "trash"};
const Values kProductTypes = {"simple", "grouped", "external", "variable"};
const Values kStockStatus = {"instock", "outofstock", "onbackorder"};
const Values kBackorders = {"no", "notify", "yes"};
const Values kTaxStatus = {"taxable", "shipping", "none"};
const Values kOrderStatus = {"pending",  "processing", "on-hold", "completed",      "cancelled",
                             "refunded", "failed",     "trash",   "checkout-draft", "auto-draft"};
const Values kDisplay = {"default", "products", "subcategories", "both"};
const Values kReportPeriods = {"week", "month", "last_month", "year"};

FilterSpec id_filter(const char* param = "include") { return {"id", FilterKind::Id, param, nullptr, {}, true}; }
FilterSpec key_lookup(const char* field) { return {field, FilterKind::Id, nullptr, nullptr, {}, true}; }
FilterSpec single(const char* field, const char* param, Values allowed = {}, bool exact = true) {
    return {field, FilterKind::Single, param, nullptr, std::move(allowed), exact};
}
FilterSpec list(const char* field, const char* param, Values allowed = {}) {
    return {field, FilterKind::List, param, nullptr, std::move(allowed), true};
}
// Bounds are strict and to the second: the scan widens them by one second
// and rechecks, so these are never exact.
FilterSpec dates(const char* field, const char* after, const char* before) {
    return {field, FilterKind::DateRange, after, before, {}, false};
}
// search also looks at other fields: a superset of field ILIKE.
FilterSpec search(const char* field) { return {field, FilterKind::Search, "search", nullptr, {}, false}; }
FilterSpec path_parent(const char* field) { return {field, FilterKind::PathParent, nullptr, nullptr, {}, true}; }
FilterSpec param(const char* column, const char* name, Values allowed = {}) {
    return {column, FilterKind::Param, name, nullptr, std::move(allowed), true};
}

ResourceInfo row(const char* name, const char* path, const char* noun, const char* summary) {
    ResourceInfo r;
    r.name = name;
    r.path = path;
    r.item_noun = noun;
    r.summary = summary;
    return r;
}

// Nested under a parent listed by `listing` (orders/{parent}/notes).
void nest(ResourceInfo& r, const char* parent_field, const char* listing, KeyType parent_type = KeyType::Integer) {
    r.parent_field = parent_field;
    r.parent_listing = listing;
    r.parent_type = parent_type;
    r.filters.push_back(path_parent(parent_field));
}

// Listed whole (no paging, no orderby); `edit`: the list takes context=edit.
void whole(ResourceInfo& r, bool edit) {
    r.listing = Listing::Whole;
    r.orderable_by_id = false;
    r.has_edit_context = edit;
}

WriteRules crud(bool batch, DeleteMode mode = DeleteMode::Force) {
    WriteRules w;
    w.insert = w.update = w.remove = true;
    w.batch = batch;
    w.delete_mode = mode;
    return w;
}

// ---------------------------------------------------------------- catalog

// Filters shared by products and variations.
std::vector<FilterSpec> product_filters(bool variations) {
    std::vector<FilterSpec> f = {
        id_filter(),
        // sku=a,b is an exact IN lookup (it also finds variations; a products
        // scan drops those, see scan_cursor).
        list("sku", "sku"),
        single("status", "status", kProductStatus),
        single("stock_status", "stock_status", kStockStatus),
        {"on_sale", FilterKind::Bool, "on_sale", nullptr, {}, true},
        single("slug", "slug"),
        dates("date_created_gmt", "after", "before"),
        dates("date_modified_gmt", "modified_after", "modified_before"),
    };
    if (!variations) {
        f.push_back(single("type", "type", kProductTypes));
        f.push_back({"featured", FilterKind::Bool, "featured", nullptr, {}, true});
        f.push_back(list("parent_id", "parent"));
        // Filter columns: the store includes products of child categories,
        // the recheck keeps direct members only; so not exact.
        f.push_back({"categories", FilterKind::List, "category", nullptr, {}, false});
        f.push_back(list("tags", "tag"));
        // search also looks at descriptions: a superset of name ILIKE.
        f.push_back(search("name"));
    }
    return f;
}

WriteRules product_writes(bool variations) {
    WriteRules w = crud(true, variations ? DeleteMode::Force : DeleteMode::TrashOrForce);
    // "trash" and "auto-draft" are WooCommerce's own states: DELETE trashes.
    w.enums = {{"status", variations ? Values{"draft", "pending", "private", "publish"}
                                     : Values{"draft", "pending", "private", "publish", "future"}},
               {"stock_status", kStockStatus},
               {"backorders", kBackorders},
               {"tax_status", kTaxStatus}};
    if (!variations) {
        w.enums.push_back({"type", kProductTypes});
        w.enums.push_back({"catalog_visibility", {"visible", "catalog", "search", "hidden"}});
        w.read_only = {"permalink", "date_modified", "price", "price_html", "on_sale", "purchasable", "total_sales",
                       "backorders_allowed", "backordered", "shipping_required", "shipping_taxable",
                       "shipping_class_id", "average_rating", "rating_count", "related_ids", "has_options",
                       "variations", "grouped_products", "permalink_template", "generated_slug"};
    } else {
        w.read_only = {"type", "date_created", "date_modified", "permalink", "price", "on_sale", "purchasable",
                       "backorders_allowed", "backordered", "shipping_class_id"};
    }
    return w;
}

std::vector<FilterSpec> term_filters(bool with_parent) {
    std::vector<FilterSpec> f = {id_filter(), single("slug", "slug"), search("name")};
    if (with_parent) f.push_back(single("parent", "parent"));
    return f;
}

// Categories, tags, brands, shipping classes, attribute terms
// (WC_REST_Terms_Controller): no trash.
WriteRules term_writes(bool display) {
    WriteRules w = crud(true);
    w.read_only = {"count"};
    if (display) w.enums = {{"display", kDisplay}};
    w.required = {{"name", "WooCommerce needs a name."}};
    return w;
}

void add_catalog(std::vector<ResourceInfo>& out) {
    ResourceInfo products = row("products", "products", "product", "Products (simple, variable, grouped, external)");
    products.resource = Resource::Products;
    products.filters = product_filters(false);
    products.array_filter_columns = {{"category", "categories", "id"}, {"tag", "tags", "id"}};
    products.writes = product_writes(false);
    out.push_back(products);

    ResourceInfo variations = row("variations", "products/{parent}/variations", "variation",
                                  "Variations of variable products");
    variations.resource = Resource::Variations;
    variations.filters = product_filters(true);
    nest(variations, "parent_id", "products");
    variations.parent_query = {{"type", "variable"}};
    variations.parent_member = "parent_id";
    variations.writes = product_writes(true);
    out.push_back(variations);

    ResourceInfo categories = row("categories", "products/categories", "category", "Product categories");
    categories.resource = Resource::Categories;
    categories.filters = term_filters(true);
    categories.writes = term_writes(true);
    out.push_back(categories);

    ResourceInfo tags = row("tags", "products/tags", "tag", "Product tags");
    tags.resource = Resource::Tags;
    tags.filters = term_filters(false);
    tags.writes = term_writes(false);
    out.push_back(tags);

    // Answered whole (real/31), no include parameter: one id is a GET.
    ResourceInfo attributes = row("attributes", "products/attributes", "attribute", "Global product attributes");
    attributes.resource = Resource::Attributes;
    whole(attributes, true);
    attributes.filters = {key_lookup("id")};
    attributes.writes = crud(true);
    attributes.writes.enums = {{"type", {"select"}}, {"order_by", {"menu_order", "name", "name_num", "id"}}};
    attributes.writes.required = {{"name", "WooCommerce needs a name."}};
    out.push_back(attributes);

    ResourceInfo terms = row("attribute_terms", "products/attributes/{parent}/terms", "attribute term",
                             "Terms of global attributes");
    terms.resource = Resource::AttributeTerms;
    terms.filters = term_filters(false);
    nest(terms, "attribute_id", "products/attributes");
    terms.writes = term_writes(false);
    out.push_back(terms);

    ResourceInfo brands = row("brands", "products/brands", "brand", "Product brands");
    brands.filters = term_filters(true);
    brands.writes = term_writes(true);
    out.push_back(brands);

    ResourceInfo classes = row("shipping_classes", "products/shipping_classes", "shipping class",
                               "Product shipping classes");
    classes.filters = term_filters(false);
    classes.writes = term_writes(false);
    out.push_back(classes);

    // The list shows approved reviews unless asked for a status (status=all).
    ResourceInfo reviews = row("reviews", "products/reviews", "review", "Product reviews");
    reviews.fixed_params = {{"status", "all"}};
    reviews.filters = {id_filter(), list("product_id", "product"),
                       // WP_Comment_Query compares e-mails without case: not exact
                       single("reviewer_email", "reviewer_email", {}, false),
                       single("status", "status", {"approved", "hold", "spam", "trash"}), search("review")};
    reviews.writes = crud(true, DeleteMode::TrashOrForce);
    reviews.writes.enums = {{"status", {"approved", "hold", "spam", "unspam", "trash", "untrash"}}};
    reviews.writes.read_only = {"date_created", "product_permalink", "verified", "reviewer_avatar_urls"};
    reviews.writes.required = {{"product_id", "A review belongs to a product."},
                               {"reviewer", "WooCommerce needs the reviewer's name."},
                               {"reviewer_email", "WooCommerce needs the reviewer's e-mail."},
                               {"review", "WooCommerce refuses an empty review."}};
    out.push_back(reviews);
}

// ---------------------------------------------------------------- orders and customers

void add_orders(std::vector<ResourceInfo>& out) {
    ResourceInfo orders = row("orders", "orders", "order", "Orders");
    orders.resource = Resource::Orders;
    orders.filters = {id_filter(),
                      list("status", "status", kOrderStatus),
                      single("customer_id", "customer"),
                      single("line_items", "product"),
                      list("parent_id", "parent"),
                      list("created_via", "created_via"),
                      dates("date_created_gmt", "after", "before"),
                      dates("date_modified_gmt", "modified_after", "modified_before")};
    // WHERE product = 11: orders with a line item of product 11 (the
    // product's id for variations too, as WooCommerce's _product_id).
    orders.array_filter_columns = {{"product", "line_items", "product_id"}};
    orders.writes = crud(true, DeleteMode::TrashOrForce);
    orders.writes.enums = {{"status",
                            {"pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed",
                             "checkout-draft", "auto-draft"}}};
    orders.writes.read_only = {"number", "order_key", "version", "date_created", "date_modified", "discount_total",
                               "discount_tax", "shipping_total", "shipping_tax", "cart_tax", "total", "total_tax",
                               "prices_include_tax", "customer_ip_address", "customer_user_agent", "date_paid",
                               "date_completed", "cart_hash", "tax_lines", "refunds", "payment_url", "is_editable",
                               "needs_payment", "needs_processing"};
    out.push_back(orders);

    // Answered whole without X-WP-Total (real/58b); no update route.
    ResourceInfo notes = row("order_notes", "orders/{parent}/notes", "order note", "Notes of orders");
    whole(notes, true);
    notes.filters = {key_lookup("id"),
                     {"customer_note", FilterKind::Bool, "type", nullptr, {}, true, true, "customer", "internal"}};
    nest(notes, "order_id", "orders");
    notes.writes.insert = notes.writes.remove = true;
    notes.writes.read_only = {"author", "date_created"};
    notes.writes.required = {{"note", "A note needs its text."}};
    out.push_back(notes);

    // Without an order (or with many), the refunds list of every order
    // (GET refunds?parent=...) answers instead of a request per order.
    ResourceInfo refunds = row("order_refunds", "orders/{parent}/refunds", "refund", "Refunds of orders");
    refunds.filters = {id_filter()};
    nest(refunds, "order_id", "orders");
    refunds.flat_path = "refunds";
    refunds.flat_parent_param = "parent";
    refunds.parent_member = "parent_id";
    refunds.writes.insert = refunds.writes.remove = true;
    // line_items is read-only in the schema, yet wc_create_refund takes the
    // request's line_items (WC_REST_Order_Refunds_Controller::prepare_object_for_database).
    refunds.writes.read_only = {"date_created", "refunded_payment", "tax_lines"};
    refunds.writes.required = {
        {"api_refund", "api_refund decides whether WooCommerce asks the payment gateway to pay the money back "
                       "(true) or only records the refund (false): say which."}};
    out.push_back(refunds);

    ResourceInfo statuses = row("order_statuses", "orders/statuses", "order status", "Order statuses (slug, name)");
    whole(statuses, false);
    statuses.key_field = "slug";
    statuses.key_type = KeyType::None;
    out.push_back(statuses);

    // The customers list shows role=customer unless told otherwise.
    ResourceInfo customers = row("customers", "customers", "customer", "Customers");
    customers.resource = Resource::Customers;
    customers.fixed_params = {{"role", "all"}};
    customers.filters = {id_filter(), single("email", "email"),
                         // the enumeration is the site's roles: plugins add their own
                         [] {
                             FilterSpec f = single("role", "role", {"administrator", "editor", "author", "contributor",
                                                                    "subscriber", "customer", "shop_manager"});
                             f.allowed_is_complete = false;
                             return f;
                         }()};
    customers.writes = crud(true);
    customers.writes.read_only = {"date_created", "date_modified", "role", "is_paying_customer", "avatar_url"};
    // WC_REST_Customers_V2_Controller::update_item: "Username isn't editable."
    customers.writes.insert_only = {"username"};
    customers.writes.required = {{"email", "WooCommerce needs the customer's e-mail."}};
    out.push_back(customers);

    ResourceInfo downloads = row("customer_downloads", "customers/{parent}/downloads", "download",
                                 "Downloads a customer may use");
    whole(downloads, false);
    downloads.key_field = "download_id";
    downloads.key_type = KeyType::None;
    nest(downloads, "customer_id", "customers");
    out.push_back(downloads);

    // Coupon codes are formatted (lower case) before the lookup: not exact.
    ResourceInfo coupons = row("coupons", "coupons", "coupon", "Coupons");
    coupons.filters = {id_filter(), single("code", "code", {}, false),
                       dates("date_created_gmt", "after", "before"),
                       dates("date_modified_gmt", "modified_after", "modified_before")};
    coupons.writes = crud(true, DeleteMode::TrashOrForce);
    coupons.writes.enums = {{"discount_type", {"percent", "fixed_cart", "fixed_product"}}};
    coupons.writes.read_only = {"date_created", "date_modified", "usage_count", "used_by"};
    coupons.writes.required = {{"code", "A coupon needs its code."}};
    out.push_back(coupons);
}

// ---------------------------------------------------------------- taxes, shipping, payments, settings

void add_store_setup(std::vector<ResourceInfo>& out) {
    // No include parameter: one id is a GET. The class enumeration is the
    // store's own classes.
    ResourceInfo rates = row("tax_rates", "taxes", "tax rate", "Tax rates");
    FilterSpec tax_class = single("class", "class", {"standard", "reduced-rate", "zero-rate"});
    tax_class.allowed_is_complete = false;
    rates.filters = {key_lookup("id"), tax_class};
    rates.writes = crud(true);
    out.push_back(rates);

    // Answered whole with totals (real/57c); the standard class has no item.
    ResourceInfo classes = row("tax_classes", "taxes/classes", "tax class", "Tax classes");
    whole(classes, true);
    classes.key_field = "slug";
    classes.key_type = KeyType::Text;
    classes.writes.insert = classes.writes.remove = true;
    classes.writes.required = {{"name", "A tax class needs a name."}};
    out.push_back(classes);

    // Zones, their locations and methods are answered whole with totals (real/60-60c).
    ResourceInfo zones = row("shipping_zones", "shipping/zones", "shipping zone", "Shipping zones");
    whole(zones, false);
    zones.filters = {key_lookup("id")};
    zones.min_key = 0;
    zones.writes = crud(false);
    zones.writes.required = {{"name", "A shipping zone needs a name."}};
    out.push_back(zones);

    // The locations are written whole (PUT replaces the list): not rows to write one by one.
    ResourceInfo locations = row("shipping_zone_locations", "shipping/zones/{parent}/locations", "zone location",
                                 "Locations of shipping zones");
    whole(locations, false);
    locations.key_field = nullptr;
    locations.key_type = KeyType::None;
    nest(locations, "zone_id", "shipping/zones");
    out.push_back(locations);

    ResourceInfo methods = row("shipping_zone_methods", "shipping/zones/{parent}/methods", "shipping zone method",
                               "Shipping methods of zones");
    whole(methods, false);
    methods.filters = {key_lookup("id")};
    nest(methods, "zone_id", "shipping/zones");
    methods.writes = crud(false);
    methods.writes.read_only = {"instance_id", "title", "method_title", "method_description"};
    methods.writes.insert_only = {"method_id"};
    methods.writes.required = {{"method_id", "Name the shipping method, e.g. flat_rate."}};
    out.push_back(methods);

    ResourceInfo shipping_methods = row("shipping_methods", "shipping_methods", "shipping method",
                                        "Shipping methods the store offers");
    whole(shipping_methods, false);
    shipping_methods.key_type = KeyType::Text;
    shipping_methods.filters = {key_lookup("id")};
    out.push_back(shipping_methods);

    ResourceInfo gateways = row("payment_gateways", "payment_gateways", "payment gateway", "Payment gateways");
    whole(gateways, true);
    gateways.key_type = KeyType::Text;
    gateways.filters = {key_lookup("id")};
    gateways.writes.update = true;
    gateways.writes.read_only = {"method_title", "method_description", "method_supports"};
    out.push_back(gateways);

    // Groups and options are answered whole without X-WP-Total (real/62, 62b).
    ResourceInfo groups = row("settings_groups", "settings", "settings group", "Settings groups");
    whole(groups, false);
    groups.key_type = KeyType::Text;
    out.push_back(groups);

    ResourceInfo options = row("settings_options", "settings/{parent}", "setting", "Settings of a group");
    whole(options, false);
    options.key_type = KeyType::Text;
    options.filters = {key_lookup("id")};
    nest(options, "group_id", "settings", KeyType::Text);
    options.writes.update = true;
    options.writes.read_only = {"group_id", "label", "description", "default", "tip", "placeholder", "type",
                                "options"};
    out.push_back(options);

    // The secret is never answered (real/75): a write-only column.
    ResourceInfo webhooks = row("webhooks", "webhooks", "webhook", "Webhooks");
    webhooks.filters = {id_filter(), single("status", "status", {"active", "paused", "disabled"}), search("name")};
    webhooks.write_only = {"secret"};
    webhooks.writes = crud(true);
    webhooks.writes.enums = {{"status", {"active", "paused", "disabled"}}};
    // delivery_url is read-only in the schema, yet the controller's
    // create_item and update_item set it (WC_REST_Webhooks_V1_Controller).
    webhooks.writes.read_only = {"resource", "event", "hooks", "date_created", "date_modified"};
    webhooks.writes.required = {{"topic", "A webhook needs a topic, e.g. order.updated."},
                                {"delivery_url", "A webhook needs the URL it delivers to."}};
    out.push_back(webhooks);
}

// ---------------------------------------------------------------- reports, data, system status

void add_reports(std::vector<ResourceInfo>& out) {
    // Lists answered whole without X-WP-Total (real/63-63i), read-only.
    auto report = [&out](const char* name, const char* path, const char* noun, const char* summary, bool period) {
        ResourceInfo r = row(name, path, noun, summary);
        whole(r, false);  // context: view only
        r.key_field = nullptr;
        r.key_type = KeyType::None;
        if (period) {
            r.param_columns = {{"period", "period"}, {"date_min", "date_min"}, {"date_max", "date_max"}};
            r.filters = {param("period", "period", kReportPeriods), param("date_min", "date_min"),
                         param("date_max", "date_max")};
        }
        out.push_back(r);
    };
    report("report_sales", "reports/sales", "sales report", "Sales report (period, date_min, date_max)", true);
    report("report_top_sellers", "reports/top_sellers", "top sellers report",
           "Top sellers (period, date_min, date_max)", true);
    report("report_orders_totals", "reports/orders/totals", "orders total", "Orders per status", false);
    report("report_products_totals", "reports/products/totals", "products total", "Products per type", false);
    report("report_customers_totals", "reports/customers/totals", "customers total",
           "Paying and non-paying customers", false);
    report("report_coupons_totals", "reports/coupons/totals", "coupons total", "Coupons per type", false);
    report("report_reviews_totals", "reports/reviews/totals", "reviews total", "Reviews per rating", false);
}

void add_data(std::vector<ResourceInfo>& out) {
    auto data = [&out](const char* name, const char* path, const char* noun, const char* summary) {
        ResourceInfo r = row(name, path, noun, summary);
        whole(r, false);
        r.key_field = "code";
        r.key_type = KeyType::Text;
        r.filters = {key_lookup("code")};
        out.push_back(r);
    };
    data("continents", "data/continents", "continent", "Continents and their countries");
    data("countries", "data/countries", "country", "Countries and their states");
    data("currencies", "data/currencies", "currency", "Currencies");
    out.back().key_length = 3;  // data/currencies/(?P<currency>[\w-]{3})

    ResourceInfo current = row("current_currency", "data/currencies/current", "currency", "The store's currency");
    current.listing = Listing::Single;
    current.orderable_by_id = false;
    current.has_edit_context = false;
    current.key_field = "code";
    current.key_type = KeyType::None;
    out.push_back(current);

    ResourceInfo status = row("system_status", "system_status", "system status", "Environment, database, plugins");
    status.listing = Listing::Single;
    status.orderable_by_id = false;
    status.has_edit_context = false;
    status.key_field = nullptr;
    status.key_type = KeyType::None;
    out.push_back(status);

    // Running a tool (PUT) is an action, not a write of data: read-only here.
    ResourceInfo tools = row("system_status_tools", "system_status/tools", "tool", "Maintenance tools");
    whole(tools, true);
    tools.key_type = KeyType::Text;
    tools.filters = {key_lookup("id")};
    out.push_back(tools);
}

}  // namespace

std::vector<ResourceInfo> build_resource_catalogue() {
    std::vector<ResourceInfo> r;
    add_catalog(r);
    add_orders(r);
    add_store_setup(r);
    add_reports(r);
    add_data(r);
    return r;
}

}  // namespace wcfdw
