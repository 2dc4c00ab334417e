// Creates, updates and deletes products and variations as the test store
// does (woostore_lib/writes.py): the same defaults, the same cleaning of
// names, prices and slugs, the same errors, the same ids handed out.
#pragma once

#include "catalog.hpp"
#include "item_fields.hpp"
#include "json_text.hpp"

namespace benchstore {

// write_product(): existing == nullptr creates. Returns the committed post.
// Throws WpError (duplicate SKU, bad image, ...).
Post write_product(Catalog& catalog, const Post* existing, const ItemFields& data, Time now);
Post write_variation(Catalog& catalog, std::int64_t parent_id, const Post* existing, const ItemFields& data, Time now);
// delete_post(force=true) of products and variations (with their children).
void delete_post_forced(Catalog& catalog, const Post& post);
// delete_post(force=false): to the trash.
Post trash_post(Catalog& catalog, const Post& post);

// Python's truth value and int() of a JSON value.
bool truthy(const Json& v);
std::int64_t py_int(const Json& v);
// str(v) for a JSON scalar.
std::string py_text(const Json& v);
// The test store's PHP look-alikes: wc_string_to_bool(), intval() (numeric
// prefixes count), and a value a setter stores as text.
bool php_bool(const Json& v);
std::int64_t php_int(const Json& v);
std::string as_text(const Json& v);

}  // namespace benchstore
