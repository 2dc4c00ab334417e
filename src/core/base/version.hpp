#pragma once

namespace wcfdw {
// Kept in step with woocommerce_fdw.control and META.json by the Makefile's
// version check (make check-version).
inline constexpr const char* kExtensionVersion = "1.2";
inline constexpr const char* kUserAgent = "woocommerce_fdw/1.2 (+PostgreSQL; libcurl)";
}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
