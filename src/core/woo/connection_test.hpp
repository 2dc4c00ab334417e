// test_connection: reach a store, authenticate, read its versions, and when
// anything fails say why in words a shop owner can act on. Never raises for
// a failure of the store link (it reports {"ok": false, ...}); only a cancel,
// an unknown option name or a bug escape as exceptions.
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "core/transport/http_client.hpp"
#include "core/woo/credential_hints.hpp"
#include "core/woo/options.hpp"

namespace wcfdw {

struct ConnectionTestInput {
    std::string store_url;
    Credentials credentials;
    OptionList options;  // OptionCatalog::TestConnection names
    // Where the keys came from: hints name the fix that exists there.
    CredentialSource credentials_source = CredentialSource::arguments();
    // No retry or backoff goes past this point (the statement's deadline).
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

nlohmann::json test_store_connection(const ConnectionTestInput& input, CancelHook cancel_hook);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
