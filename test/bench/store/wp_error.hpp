// A WordPress REST error: {"code", "message", "data": {"status", ...extra}}.
#pragma once

#include <stdexcept>
#include <string>

#include "json_text.hpp"

namespace benchstore {

class WpError : public std::runtime_error {
public:
    WpError(std::string code, std::string message, int status = 400, Json extra = Json::object())
        : std::runtime_error(message), code(std::move(code)), message(std::move(message)), status(status),
          extra(std::move(extra)) {}
    Json body() const {
        Json data = Json::object();
        data["status"] = status;
        for (auto it = extra.begin(); it != extra.end(); ++it) data[it.key()] = it.value();
        Json out = Json::object();
        out["code"] = code;
        out["message"] = message;
        out["data"] = data;
        return out;
    }
    std::string code, message;
    int status;
    Json extra;
};

// What the benchmark store does not implement: answered loudly (501) so that
// a benchmark that starts asking something new fails instead of measuring a
// store that answers differently from the test store.
inline WpError unsupported(const std::string& what) {
    return WpError("bench_store_unsupported",
                   "The benchmark store does not implement " + what +
                       "; add it (and its check in check_bench_store.py) or use the test store.",
                   501);
}

}  // namespace benchstore
