#include <cstring>
#include <string>
#include <vector>

#include "core/transport/crypto.hpp"
#include "core/transport/http_client.hpp"
#include "pg/error_bridge.hpp"
#include "pg/text_encoding.hpp"

namespace wcfdw::pg {
namespace {

void copy_text(char* dest, std::size_t size, const char* src) noexcept {
    if (!src) { dest[0] = '\0'; return; }
    std::size_t n = std::strlen(src);
    if (n >= size) {
        n = size - 1;
        // Do not cut a UTF-8 sequence in half.
        while (n > 0 && (static_cast<unsigned char>(src[n]) & 0xC0) == 0x80) --n;
    }
    std::memcpy(dest, src, n);
    dest[n] = '\0';
}

void copy_sanitized(char* dest, std::size_t size, const std::string& src) noexcept {
    try {
        copy_text(dest, size, wcfdw::sanitize_utf8(redact(src)).c_str());
    } catch (...) {
        copy_text(dest, size, "(message unavailable)");
    }
}

// A backend uses a handful of store links; the list stays small.
constexpr std::size_t kMaxSecrets = 256;

std::vector<std::string>& secrets_in_play() {
    static std::vector<std::string> secrets;
    return secrets;
}

void remember(const std::string& secret) {
    if (secret.empty()) return;
    auto& secrets = secrets_in_play();
    for (const auto& s : secrets)
        if (s == secret) return;
    if (secrets.size() >= kMaxSecrets) secrets.erase(secrets.begin());
    secrets.push_back(secret);
}

void emit_notice(const char* message) {
    ereport(NOTICE, (errmsg_internal("%s", store_message_to_server(message))));
}

}  // namespace

void remember_credentials(const wcfdw::Credentials& credentials) {
    remember(credentials.consumer_secret);
    if (!credentials.consumer_secret.empty())
        remember(wcfdw::base64_encode(credentials.consumer_key + ":" + credentials.consumer_secret));
}

// An excerpt cut short ("...", at most 160 bytes of a store's page) may end
// inside a secret: the part before the cut is masked too.
void mask_cut_secrets(std::string& text, const std::vector<std::string>& secrets) {
    constexpr std::size_t kMinPart = 4;
    auto mask_before = [&](std::size_t end) {
        for (const auto& secret : secrets) {
            for (std::size_t k = std::min(secret.size() - 1, end); k >= kMinPart; --k) {
                if (text.compare(end - k, k, secret, 0, k) == 0) {
                    text.replace(end - k, k, "********");
                    return;
                }
            }
        }
    };
    for (std::size_t cut = text.find("..."); cut != std::string::npos; cut = text.find("...", cut + 3)) {
        const std::size_t before = text.size();
        mask_before(cut);
        cut = cut + text.size() - before;  // the mask may be longer or shorter than what it replaced
    }
    mask_before(text.size());
}

void remember_secret(const std::string& secret) {
    remember(secret);
}

std::string redact(const std::string& text) {
    std::string out = wcfdw::redact_secrets(text, secrets_in_play());
    mask_cut_secrets(out, secrets_in_play());
    return out;
}

const char* redact_cstr(const char* text) {
    const char* out = text;
    PendingError pending;
    if (!run_cpp(pending, [&] {
            if (redact(text) != text) out = pstrdup_guarded(text);
        }))
        raise_pending_error(pending);
    return out;
}

void notice_from_core(const std::string& message) {
    pg_call(emit_notice, redact(message).c_str());
}

void capture_woo_error(PendingError& pending, const wcfdw::WooError& error) noexcept {
    pending.cancelled = error.kind() == wcfdw::ErrorKind::Cancelled;
    copy_text(pending.sqlstate, sizeof pending.sqlstate, error.sqlstate());
    copy_sanitized(pending.message, sizeof pending.message, error.what());
    copy_sanitized(pending.detail, sizeof pending.detail, error.detail());
    copy_sanitized(pending.hint, sizeof pending.hint, error.hint());
}

void capture_message(PendingError& pending, const char* sqlstate, const char* message) noexcept {
    copy_text(pending.sqlstate, sizeof pending.sqlstate, sqlstate);
    try {
        copy_sanitized(pending.message, sizeof pending.message, message);
    } catch (...) {
        copy_text(pending.message, sizeof pending.message, "woocommerce_fdw error");
    }
}

void raise_pending_error(PendingError& pending) {
    if (pending.postgres_error) ReThrowError(pending.postgres_error);
    if (pending.cancelled) {
        // The transfer stopped because PostgreSQL has an interrupt pending:
        // let PostgreSQL raise it, so statement_timeout and query cancel
        // keep their own SQLSTATE (57014) and message.
        CHECK_FOR_INTERRUPTS();
        ereport(ERROR, (errcode(ERRCODE_QUERY_CANCELED), errmsg("canceling statement due to user request")));
    }
    const char* s = pending.sqlstate;
    const int code = s[0] ? MAKE_SQLSTATE(s[0], s[1], s[2], s[3], s[4]) : ERRCODE_INTERNAL_ERROR;
    // The core's texts are UTF-8 (they quote the store); PostgreSQL's
    // messages are in the database encoding.
    const char* message = store_message_to_server(pending.message);
    const char* detail = store_message_to_server(pending.detail);
    const char* hint = store_message_to_server(pending.hint);
    ereport(ERROR, (errcode(code), errmsg_internal("%s", message), detail[0] ? errdetail_internal("%s", detail) : 0,
                    hint[0] ? errhint("%s", hint) : 0));
    pg_unreachable();
}

void pg_try(void (*body)(void*), void* context) {
    MemoryContext caller_context = CurrentMemoryContext;
    // volatile: written after the longjmp back into this frame.
    ErrorData* volatile caught = nullptr;
    PG_TRY();
    {
        body(context);
    }
    PG_CATCH();
    {
        MemoryContextSwitchTo(caller_context);
        caught = CopyErrorData();
        FlushErrorState();
    }
    PG_END_TRY();
    if (caught) throw PgError(caught);
}

char* pstrdup_secret(const std::string& secret) {
    char* out = static_cast<char*>(pg_call(palloc, secret.size() + 1));
    std::memcpy(out, secret.c_str(), secret.size() + 1);
    return out;
}

char* pstrdup_guarded(const std::string& text) {
    const std::string redacted = redact(text);
    char* out = static_cast<char*>(pg_call(palloc, redacted.size() + 1));
    std::memcpy(out, redacted.c_str(), redacted.size() + 1);
    return out;
}

}  // namespace wcfdw::pg
