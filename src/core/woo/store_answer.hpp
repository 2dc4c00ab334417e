// What a store's answer means, before anything uses it: the status first
// (a 3xx, a 4xx, a 5xx is always named, whatever the body looks like), then
// the body (JSON within limits, never empty where JSON is expected), and
// WooCommerce's error bodies turned into typed WooErrors with hints that
// match what happened.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/json_reader.hpp"
#include "core/base/woo_error.hpp"
#include "core/transport/http_client.hpp"

namespace wcfdw {

// The body of an answer as JSON:
//  - 2xx: JSON within read_json's limits; an empty body, an HTML page,
//    invalid, truncated or too deep JSON is an InvalidResponse naming the
//    status;
//  - 1xx/3xx: a Redirected error naming the status and the Location;
//  - 4xx/5xx: the body if it is JSON (callers look at WooCommerce's code),
//    null if it is empty; any other body is the error_from_response error.
// Numbers nlohmann cannot hold stay in the document as null and are listed.
// `secrets` are masked in whatever the error quotes (a Location header or
// an HTML page may echo the query string).
JsonDocument parse_json_document(const HttpResponse& response, const std::string& request_description,
                                 const std::vector<std::string>& secrets = {});

// parse_json_document, where a number nlohmann cannot hold is an
// OutOfRange error naming it and where it was.
nlohmann::json parse_json_body(const HttpResponse& response, const std::string& request_description,
                               const std::vector<std::string>& secrets = {});

// The WooError for a response with status >= 400: kind from status and
// WooCommerce code, message naming the status and the store's own words,
// hint with the fix for what happened (retries made or not, and why).
// `secrets` are masked wherever the store's words or body are quoted (a
// page may echo the request, query-string credentials included).
WooError error_from_response(const HttpResponse& response, const nlohmann::json& body,
                             const std::string& request_description, const std::vector<std::string>& secrets = {});

// `error` with every secret masked in its message, detail and hint.
WooError redacted(const WooError& error, const std::vector<std::string>& secrets);

// The error for a number listed by read_json, at `where` ("product 42").
WooError unrepresentable_number_error(const UnrepresentableNumber& number, const std::string& where,
                                      const std::string& request_description);

// WordPress returns some texts HTML-escaped (&amp;, &#8211;, &lt;...).
std::string decode_html_entities(const std::string& text);

// A short, single-line excerpt of a body for error details, tags removed.
std::string body_excerpt(const std::string& body);

}  // namespace wcfdw

#include "core/base/pure_cpp.hpp"
