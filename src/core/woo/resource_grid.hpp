// README's resource grid, rendered from the catalogue: what each table
// shows, its key and parent, how its list is answered, which SQL writes
// WooCommerce allows on it, which conditions reach the store and whether
// multi-row INSERTs are batched. test/unit/resource_grid_test.cpp checks
// that README.md holds exactly this text (and rewrites it on request), so
// the documentation cannot drift from the code.
#pragma once

#include <string>

namespace wcfdw {

// The Markdown table, one row per resource, ending with a newline.
std::string render_resource_grid();

// The markers around the grid in README.md.
constexpr const char* kResourceGridBegin = "<!-- resource grid: generated from the catalogue, see DEVELOPERS.md -->";
constexpr const char* kResourceGridEnd = "<!-- end of resource grid -->";

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
