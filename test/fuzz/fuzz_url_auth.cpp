// URLs and credentials: URL parsing and normalisation, percent-encoding,
// query strings, the OAuth 1.0a base string and signing of any request, the
// three signers, redaction (a secret never survives it), Retry-After, the
// woocommerce.allowed_hosts rule and address parsing.
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include "core/transport/auth.hpp"
#include "core/transport/host_policy.hpp"
#include "core/transport/http_client.hpp"
#include "core/transport/oauth1.hpp"
#include "core/transport/retry_policy.hpp"
#include "core/transport/url.hpp"
#include "core/woo/store_answer.hpp"
#include "fuzz_check.hpp"

namespace {

using namespace wcfdw;

void urls(FuzzedDataProvider& in) {
    const std::string url = in.ConsumeRandomLengthString(200);
    try {
        const ParsedUrl p = parse_url(url);
        (void)p;
        const std::string normal = normalise_store_url(url);
        // Normalising is idempotent.
        if (normalise_store_url(normal) != normal) std::abort();
    } catch (const WooError& e) {
        fuzz::check_error(e, false);  // quotes the url, the user's own text
    }
    const std::string text = in.ConsumeRandomLengthString(100);
    const std::string encoded = percent_encode(text);
    for (const char c : encoded)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~' || c == '%'))
            std::abort();
}

void signing(FuzzedDataProvider& in) {
    HttpRequest request;
    request.method = static_cast<HttpMethod>(in.ConsumeIntegralInRange(0, 4));
    request.url = in.ConsumeRandomLengthString(120);
    const int params = in.ConsumeIntegralInRange(0, 8);
    for (int i = 0; i < params; ++i)
        request.query.push_back({in.ConsumeRandomLengthString(20), in.ConsumeRandomLengthString(40)});
    const Credentials credentials{in.ConsumeRandomLengthString(40), fuzz::kSecret};
    const AuthMode mode = static_cast<AuthMode>(in.ConsumeIntegralInRange(1, 3));
    const auto method = in.ConsumeBool() ? OAuthSignatureMethod::HmacSha1 : OAuthSignatureMethod::HmacSha256;
    try {
        const auto signer = make_signer(mode, credentials, method);
        signer->sign(request);
        const std::string shown = redacted_url(request, signer->secrets());
        fuzz::check_text(sanitize_utf8(shown), "redacted url");
        const std::string base = oauth1_signature_base_string(http_method_name(request.method), request.url, request.query);
        (void)base;
        const std::string message = redact_secrets("error " + request.url + " " + fuzz::kSecret, signer->secrets());
        fuzz::check_text(sanitize_utf8(message), "redacted message");
    } catch (const WooError& e) {
        fuzz::check_error(e);
    }
}

void hosts(FuzzedDataProvider& in) {
    const std::string setting = in.ConsumeRandomLengthString(120);
    const std::string host = in.ConsumeRandomLengthString(60);
    const std::string address = in.ConsumeRandomLengthString(45);
    try {
        const HostPolicy policy = HostPolicy::parse(setting);
        policy.refuses_before_resolving(host);
        if (const auto ip = IpAddress::parse(address)) {
            const bool allowed = policy.allows(host, *ip);
            // Link-local never passes the default rule.
            if (setting == "*" && ip->text().rfind("169.254.", 0) == 0 && allowed) std::abort();
            fuzz::check_text(sanitize_utf8(policy.refusal_reason(host, ip)), "reason");
        }
    } catch (const WooError& e) {
        fuzz::check_error(e, false);  // quotes the setting, the superuser's own text
    }
}

void waits(FuzzedDataProvider& in) {
    const auto ms = retry_after_ms(in.ConsumeRandomLengthString(60), static_cast<std::time_t>(1700000000));
    if (ms && (*ms < 0 || *ms > 86400L * 1000L)) std::abort();
    const long d = backoff_delay_ms(in.ConsumeIntegralInRange(0, 30), in.ConsumeIntegralInRange<long>(-10, 100000),
                                    in.ConsumeIntegralInRange<long>(-10, 100000), in.ConsumeFloatingPoint<double>());
    if (d < 0) std::abort();
    const std::string text = in.ConsumeRandomLengthString(200);
    const std::string decoded = decode_html_entities(sanitize_utf8(text));
    fuzz::check_text(sanitize_utf8(decoded), "entities", false);
    if (sanitize_utf8(decoded) != decoded) std::abort();  // valid UTF-8 in, valid UTF-8 out
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    switch (in.ConsumeIntegralInRange(0, 3)) {
    case 0: urls(in); break;
    case 1: signing(in); break;
    case 2: hosts(in); break;
    default: waits(in); break;
    }
    return 0;
}
