// README's resource grid is the catalogue rendered (resource_grid.cpp):
// this test fails when README.md holds anything else between the markers,
// so a resource added, a write allowed or a filter pushed down cannot go
// undocumented. With WCFDW_UPDATE_README=1 it writes the grid into README.md
// instead (see DEVELOPERS.md, "Adding a resource").
#include "core/woo/resource_grid.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "core/woo/resources.hpp"

namespace wcfdw {
namespace {

const std::string kReadme = std::string(WCFDW_TEST_DATA_DIR) + "/../../../README.md";

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(ResourceGrid, OneRowPerResource) {
    const std::string grid = render_resource_grid();
    std::size_t rows = 0;
    for (std::size_t at = grid.find('\n'); at != std::string::npos; at = grid.find('\n', at + 1)) ++rows;
    EXPECT_EQ(rows, all_resources().size() + 2);  // header and separator
    for (const auto& r : all_resources())
        EXPECT_NE(grid.find("| `" + std::string(r.name) + "` |"), std::string::npos) << r.name;
    // A few facts as they must read.
    EXPECT_NE(grid.find("| `order_notes` | `orders/<order_id>/notes` | `id` | `order_id` → `orders` | whole | ✅ | "
                        "❌ | ✅ force |  | `id` (`=`), `customer_note` |"),
              std::string::npos)
        << grid;
    EXPECT_NE(grid.find("| `payment_gateways` | `payment_gateways` | `id` text |  | whole | ❌ | ✅ | ❌ |  | `id` (`=`) |"),
              std::string::npos)
        << grid;
}

TEST(ResourceGrid, ReadmeHoldsTheRenderedGrid) {
    std::string readme = read_file(kReadme);
    ASSERT_FALSE(readme.empty()) << "cannot read " << kReadme;
    const auto begin = readme.find(kResourceGridBegin);
    const auto end = readme.find(kResourceGridEnd);
    ASSERT_NE(begin, std::string::npos) << "README.md has no line " << kResourceGridBegin;
    ASSERT_NE(end, std::string::npos) << "README.md has no line " << kResourceGridEnd;
    ASSERT_LT(begin, end);
    const std::size_t from = readme.find('\n', begin) + 1;
    const std::string documented = readme.substr(from, end - from);
    const std::string rendered = render_resource_grid();
    if (documented != rendered && std::getenv("WCFDW_UPDATE_README")) {
        readme.replace(from, end - from, rendered);
        std::ofstream(kReadme) << readme;
        GTEST_SKIP() << "README.md rewritten: check the diff and commit it";
    }
    EXPECT_EQ(documented, rendered) << "README.md's resource grid differs from the catalogue; run "
                                       "WCFDW_UPDATE_README=1 build/cmake/woocommerce_core_tests "
                                       "--gtest_filter=ResourceGrid.* and commit the README diff";
}

}  // namespace
}  // namespace wcfdw
