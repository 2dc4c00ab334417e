#include "core/transport/transport_error.hpp"

#include <algorithm>
#include <string>

#include "core/transport/url.hpp"

namespace wcfdw {

namespace {

std::string host_of(const std::string& url) {
    try {
        return parse_url(url).host;
    } catch (const WooError&) {
        return "the store";
    }
}

bool is_too_large(CURLcode code) {
#if LIBCURL_VERSION_NUM >= 0x080600
    return code == CURLE_TOO_LARGE;
#else
    (void)code;
    return false;
#endif
}

bool is_tls_failure(CURLcode code) {
    switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:
        return true;
    default:
        return false;
    }
}

struct Described {
    ErrorKind kind = ErrorKind::Connect;
    std::string message;
    std::string hint;
};

Described host_refused(const Transfer& t) {
    Described d;
    d.kind = ErrorKind::HostNotAllowed;
    const std::string address = t.refused_address;
    const std::optional<IpAddress> ip = IpAddress::parse(address);
    const std::string reason = t.policy ? t.policy->refusal_reason(t.host, ip) : "no policy";
    d.message = "woocommerce.allowed_hosts does not allow connecting to " +
                (address.empty() || address == t.host ? t.host : address + " (the address of " + t.host + ")") +
                ": " + reason;
    d.hint = "A superuser decides where woocommerce_fdw may connect: add the store's host name or address to "
             "woocommerce.allowed_hosts (ALTER SYSTEM SET woocommerce.allowed_hosts = '...'; SELECT "
             "pg_reload_conf()), or correct the server option url.";
    return d;
}

// An answer whose status line arrived and whose body is shorter than its
// Content-Length said.
bool body_cut_short(const Transfer& t) {
    if (t.response.status <= 0) return false;
    const std::string length = t.response.header("content-length");
    if (length.empty() || length.size() > 18 || length.find_first_not_of("0123456789") != std::string::npos)
        return false;
    return t.response.body.size() < std::stoull(length);
}

Described describe_failure(const Transfer& t, CURLcode code, bool sent, const TransportOptions& options,
                           const std::string& url) {
    const std::string host = host_of(t.request->url);
    const std::string curl_text = t.error_buffer[0] ? t.error_buffer : curl_easy_strerror(code);
    Described d;
    if (t.host_refused) return host_refused(t);
    if (t.too_large || code == CURLE_FILESIZE_EXCEEDED) {
        d.kind = ErrorKind::ResponseTooLarge;
        d.message = "response to " + std::string(http_method_name(t.request->method)) + " " + url +
                    " is larger than max_response_bytes (" + std::to_string(options.max_response_bytes) + " bytes)";
        d.hint = "Raise the server option max_response_bytes, or ask for fewer rows per request.";
    } else if (t.headers_too_large) {
        d.kind = ErrorKind::InvalidResponse;
        d.message = "the answer from " + host + " could not be read: its headers exceed " +
                    std::to_string(Transfer::kMaxResponseHeaderBytes / 1024) + " kB or " +
                    std::to_string(Transfer::kMaxResponseHeaderLines) + " lines";
        d.hint = "A WooCommerce answer has a few kB of headers; check the store's plugins and any proxy in between.";
    } else if (t.callback_failed) {
        d.kind = ErrorKind::Internal;
        d.message = "out of memory while reading the response from " + host;
    } else if (t.resend_refused) {
        d.message = "connection to " + host + " broke off before any answer";
        d.hint = t.idempotent ? "The store or a proxy closed the connection; check the store's PHP limits "
                                "(memory_limit, max_execution_time) and its error log."
                              : "The request was not sent again because it may have been processed; check the "
                                "store before running it again.";
    } else if (code == CURLE_OPERATION_TIMEDOUT) {
        d.kind = ErrorKind::Timeout;
        if (sent) {
            d.message = "request to " + url + " timed out after " + std::to_string(options.timeout_ms) + " ms";
            d.hint = "Raise the server option timeout_ms; a WooCommerce batch of 100 items can take minutes.";
        } else {
            const long limit = std::min(options.connect_timeout_ms, options.timeout_ms);
            d.message = "request to " + url + " timed out after " + std::to_string(limit) + " ms while connecting";
            d.hint = "Check that the store is reachable from the database server, or raise the server option "
                     "connect_timeout_ms.";
        }
    } else if (is_tls_failure(code)) {
        d.kind = ErrorKind::Tls;
        d.message = "TLS failure talking to " + host + ": " + curl_text;
        if (code == CURLE_SSL_CACERT_BADFILE)
            d.hint = "Check that ca_file names a readable PEM file on the database server.";
        else if (code == CURLE_SSL_CONNECT_ERROR)
            d.hint = "Check that the store speaks TLS on this port (https:// to a plain-HTTP port fails this way).";
        else
            d.hint = "Set the option ca_file to the CA that signed the store's certificate, or verify_tls 'false' "
                     "for testing only.";
    } else if (code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY) {
        d.message = "could not connect to " + host + ": " + curl_text;
        d.hint = "Check the host name in the server option url, and DNS on the database server.";
    } else if (code == CURLE_COULDNT_CONNECT) {
        d.message = "could not connect to " + host + ": " + curl_text;
        d.hint = "Check the url (scheme and port), that the store is up, and that no firewall blocks the database "
                 "server.";
    } else if (code == CURLE_PARTIAL_FILE || (code == CURLE_RECV_ERROR && body_cut_short(t))) {
        // The body stopped short of its Content-Length. curl says so in its
        // own words, which differ by TLS library: OpenSSL 3.0 builds of
        // curl 7 report a partial file, OpenSSL 3.5 builds of curl 8 a
        // receive error ("unexpected eof while reading").
        d.kind = ErrorKind::InvalidResponse;
        d.message = "response from " + host + " was truncated: the connection closed before the whole body arrived";
        d.hint = "The connection ended before the whole answer arrived; retry, and if it repeats check the store's "
                 "PHP memory and execution time limits or a proxy in between.";
    } else if (code == CURLE_WEIRD_SERVER_REPLY || code == CURLE_UNSUPPORTED_PROTOCOL) {
        d.kind = ErrorKind::InvalidResponse;
        d.message = "the answer from " + host + " is not HTTP: " + curl_text;
        d.hint = "Check the url's scheme and port: something other than a web server answers there.";
    } else if (code == CURLE_OUT_OF_MEMORY || is_too_large(code)) {
        // Headers over libcurl's limits (a line over 100 kB): curl 7 says
        // "Out of memory", curl 8.6 and later CURLE_TOO_LARGE; one message.
        d.kind = ErrorKind::InvalidResponse;
        d.message = "the answer from " + host + " could not be read: its headers are larger than libcurl accepts";
        d.hint = "libcurl refuses a response header larger than 100 kB this way; check the store and any proxy in "
                 "between.";
    } else if (classify_failure(t, code, sent) == FailureClass::MaybeSent) {
        d.message = "connection to " + host + " broke off: " + curl_text;
        d.hint = t.idempotent ? "The store or a proxy closed the connection before the whole answer arrived; check "
                                "the store's PHP limits (memory_limit, max_execution_time) and its error log."
                              : "The request was not retried because it may have been processed; check the store "
                                "before running it again.";
    } else {
        d.message = "request to " + url + " failed: " + curl_text;
    }
    return d;
}

}  // namespace

FailureClass classify_failure(const Transfer& t, CURLcode code, bool sent) {
    if (t.host_refused || t.too_large || t.headers_too_large || t.callback_failed) return FailureClass::Final;
    if (t.resend_refused) return FailureClass::MaybeSent;
    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return FailureClass::NotSent;
    case CURLE_OPERATION_TIMEDOUT:
        return sent ? FailureClass::MaybeSent : FailureClass::NotSent;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return FailureClass::MaybeSent;
    default:
        return FailureClass::Final;
    }
}

WooError transport_error(const Transfer& t, CURLcode code, bool sent, const TransportOptions& options) {
    const std::string url = redacted_url(*t.request, t.sensitive);
    const Described d = describe_failure(t, code, sent, options, url);
    std::string detail = "Request: " + std::string(http_method_name(t.request->method)) + " " + url;
    if (t.attempts > 1) detail += "\nRetries: " + std::to_string(t.attempts - 1);
    WooError err(d.kind, redact_secrets(d.message, t.sensitive), redact_secrets(detail, t.sensitive),
                 redact_secrets(d.hint, t.sensitive));
    err.retries = t.attempts > 1 ? t.attempts - 1 : 0;
    return err;
}

}  // namespace wcfdw
