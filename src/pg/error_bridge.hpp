// The boundary between C++ and PostgreSQL error handling, in both directions.
//
// C++ -> PostgreSQL: every SQL-callable or FDW entry point runs its C++ work
// through run_cpp(). It catches every exception, copies what ereport needs
// into a plain struct, lets all C++ objects be destroyed, and only then, back
// in the entry point's frame that owns no C++ objects, raise_pending_error()
// calls ereport. So no exception reaches PostgreSQL and no longjmp skips a
// destructor.
//
// PostgreSQL -> C++: C++ code that must call a PostgreSQL function that can
// raise (palloc, SPI, catalog lookups) calls it through pg_call(). It runs the
// function under PG_TRY, and turns a PostgreSQL error into a PgError
// exception that unwinds C++ normally; run_cpp() hands the original
// ErrorData back to PostgreSQL with ReThrowError.
#pragma once

#include <exception>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

#include "core/base/woo_error.hpp"
#include "core/transport/auth.hpp"
#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

// Plain data only: it lives in the entry point's frame across ereport.
struct PendingError {
    bool raised = false;
    bool cancelled = false;       // raise through CHECK_FOR_INTERRUPTS
    ErrorData* postgres_error = nullptr;  // a PostgreSQL error caught by pg_call
    char sqlstate[6] = {0};
    char message[1024] = {0};
    char detail[2048] = {0};
    char hint[1024] = {0};
};

// A PostgreSQL error travelling through C++ frames.
class PgError : public std::exception {
public:
    explicit PgError(ErrorData* data) noexcept : data_(data) {}
    const char* what() const noexcept override { return data_ && data_->message ? data_->message : "PostgreSQL error"; }
    ErrorData* data() const noexcept { return data_; }

private:
    ErrorData* data_;
};

// Secrets in play. Every text the bridge hands to PostgreSQL (errors, their
// details and hints, results made with pstrdup_guarded, NOTICEs, EXPLAIN
// lines) has the secrets of every store link this backend has used masked
// ("********"): raw, percent-encoded, and as the Basic credentials built
// from them. Whatever a store echoes back (an error page that repeats the
// request URL or its headers) and wherever it ends up, the secret does not
// reach a user, a table or the server log through us.
void remember_credentials(const wcfdw::Credentials& credentials);
void remember_secret(const std::string& secret);  // a webhook secret
std::string redact(const std::string& text);
// For C frames: `text` or a palloc'd copy with the secrets masked. Never
// raises except out of memory.
const char* redact_cstr(const char* text);

// A NOTICE from C++ code (redacted, in the database encoding).
void notice_from_core(const std::string& message);

void capture_woo_error(PendingError& pending, const wcfdw::WooError& error) noexcept;
void capture_message(PendingError& pending, const char* sqlstate, const char* message) noexcept;

// Runs `work` and reports whether it completed. Never throws.
template <typename Work>
bool run_cpp(PendingError& pending, Work&& work) noexcept {
    try {
        std::forward<Work>(work)();
        return true;
    } catch (const PgError& e) {
        pending.postgres_error = e.data();
    } catch (const wcfdw::WooError& e) {
        capture_woo_error(pending, e);
    } catch (const std::bad_alloc&) {
        capture_message(pending, "53200", "out of memory in woocommerce_fdw");
    } catch (const std::exception& e) {
        capture_message(pending, "XX000", e.what());
    } catch (...) {
        capture_message(pending, "XX000", "unknown C++ exception in woocommerce_fdw");
    }
    pending.raised = true;
    return false;
}

// ereport(ERROR) for what run_cpp captured. Call only from a frame that owns
// no C++ objects with destructors.
[[noreturn]] void raise_pending_error(PendingError& pending);

// Runs body(context) under PG_TRY. A PostgreSQL error is copied, the error
// state cleaned up, and a PgError thrown. The only PG_TRY of the C++ side.
void pg_try(void (*body)(void*), void* context);

// Calls a PostgreSQL function from C++ code. A PostgreSQL error becomes a
// PgError exception. `fn` must be a PostgreSQL (C) function: a longjmp out
// of it skips only C frames and the capture-by-reference lambda below.
template <typename Fn, typename... Args>
auto pg_call(Fn fn, Args... args) -> decltype(fn(args...)) {
    using Result = decltype(fn(args...));
    if constexpr (std::is_void_v<Result>) {
        auto call = [&] { fn(args...); };
        pg_try([](void* c) { (*static_cast<decltype(call)*>(c))(); }, &call);
    } else {
        static_assert(std::is_scalar_v<Result>, "pg_call returns scalars (pointers, Datums, integers) only");
        Result result{};
        auto call = [&] { result = fn(args...); };
        pg_try([](void* c) { (*static_cast<decltype(call)*>(c))(); }, &call);
        return result;
    }
}

// Deletes a C++ object owned by PostgreSQL-managed state (a scan's or a
// modify's runtime) and clears the pointer. For memory-context reset
// callbacks and End callbacks: nothing may escape into PostgreSQL.
template <typename T>
void delete_quietly(T*& object) noexcept {
    T* doomed = object;
    object = nullptr;
    try {
        delete doomed;
    } catch (...) {
    }
}

// palloc'd copy of a C++ string (guarded, redacted), for handing results to
// PostgreSQL.
char* pstrdup_guarded(const std::string& text);

// The one way a secret crosses unmasked: on its way into a user mapping
// (a key set up by the store, a webhook secret just generated), never
// into anything a user or a log sees.
char* pstrdup_secret(const std::string& secret);

}  // namespace wcfdw::pg
