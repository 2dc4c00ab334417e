// The opt-in webhook receiver: a background worker (woocommerce_fdw in
// shared_preload_libraries) that listens on woocommerce.webhook_listen and
// hands each complete POST to woocommerce.receive_webhook (or, for a path
// ending in /auth-callback, woocommerce.receive_auth_callback) in its own
// transaction, as woocommerce.webhook_role, answering only after the commit.
//
// All PostgreSQL calls happen on this process's only thread: the HTTP side
// (core/webhook/http_receiver, libmicrohttpd in external-select mode) runs
// when the loop calls it, never on its own. The loop waits on the latch and
// the receiver's epoll descriptor together, so SIGTERM, SIGHUP and
// postmaster death are seen at once. On any exit, requests still waiting
// get 503 (an exit callback answers them); after a crash the postmaster
// starts the worker again (bgw_restart_time).
//
// Frames here own no C++ objects: the receiver lives on the heap behind a
// plain pointer, and everything C++ runs inside run_cpp.
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/webhook/http_receiver.hpp"

#include "pg/error_bridge.hpp"
#include "pg/webhook_settings.hpp"
#include "pg/postgres_headers.hpp"

extern "C" {
#include "executor/spi.h"
#include "libpq/pqsignal.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"
#include "utils/timeout.h"
#include "utils/wait_event.h"
}

extern "C" {
PGDLLEXPORT void wcfdw_webhook_worker_main(Datum);
}

namespace {

using wcfdw::webhook::HttpReceiver;

// What the receiver was started with; a reload that changes it restarts it.
struct ListenSettings {
    char listen[256];
    char cert_file[MAXPGPATH];
    char key_file[MAXPGPATH];
    int max_connections;
    int read_timeout_s;
    int max_body_bytes;
};

HttpReceiver* receiver = nullptr;
ListenSettings current;
MemoryContext delivery_context = nullptr;
char last_failure[1024];

// A request copied out of C++ into palloc'd plain data.
struct PlainRequest {
    uint64 id;
    bool auth_callback;
    char* headers_json;
    bytea* body;
};

ListenSettings settings_now() {
    ListenSettings s;
    memset(&s, 0, sizeof s);
    strlcpy(s.listen, wcfdw::pg::webhook_listen ? wcfdw::pg::webhook_listen : "", sizeof s.listen);
    strlcpy(s.cert_file, wcfdw::pg::webhook_tls_cert_file ? wcfdw::pg::webhook_tls_cert_file : "", sizeof s.cert_file);
    strlcpy(s.key_file, wcfdw::pg::webhook_tls_key_file ? wcfdw::pg::webhook_tls_key_file : "", sizeof s.key_file);
    s.max_connections = wcfdw::pg::webhook_max_connections;
    s.read_timeout_s = wcfdw::pg::webhook_read_timeout_s;
    s.max_body_bytes = wcfdw::pg::webhook_max_body_bytes;
    return s;
}

std::string read_file(const char* path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw wcfdw::WooError(wcfdw::ErrorKind::InvalidArgument, std::string("could not read \"") + path + "\"", "",
                              "woocommerce.webhook_tls_cert_file and _key_file are PEM files the server can read "
                              "(relative paths start in the data directory).");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Starts the receiver; on failure the message is left in `error`.
bool start_receiver(const ListenSettings& s, wcfdw::pg::PendingError& error) {
    return wcfdw::pg::run_cpp(error, [&] {
        wcfdw::webhook::ReceiverConfig config;
        config.listen = s.listen;
        config.max_connections = static_cast<unsigned>(s.max_connections);
        config.read_timeout_s = static_cast<unsigned>(s.read_timeout_s);
        config.max_body_bytes = static_cast<std::size_t>(s.max_body_bytes);
        config.max_buffered_bytes = std::max<std::size_t>(64u << 20, 8 * config.max_body_bytes);
        if (s.cert_file[0] || s.key_file[0]) {
            config.tls_cert_pem = read_file(s.cert_file);
            config.tls_key_pem = read_file(s.key_file);
        }
        receiver = new HttpReceiver(std::move(config));
    });
}

void stop_receiver() noexcept {
    HttpReceiver* doomed = receiver;
    receiver = nullptr;
    wcfdw::pg::delete_quietly(doomed);
}

// Exit callback: whatever waits for an answer gets 503, and the answers are
// sent (for at most a second) before the process goes.
void answer_on_exit(int, Datum) {
    if (!receiver) return;
    try {
        receiver->answer_all(503, R"({"status":503,"outcome":"refused","reason":"shutting_down",)"
                                  R"("message":"PostgreSQL is shutting down; the delivery was not applied"})");
        for (int i = 0; i < 100 && receiver->busy(); ++i) {
            receiver->run();
            pg_usleep(10000);
        }
    } catch (...) {
    }
    stop_receiver();
}

// libmicrohttpd's messages, as one log line.
void log_receiver_messages() {
    if (!receiver) return;
    char* text = nullptr;
    wcfdw::pg::PendingError ignored;
    wcfdw::pg::run_cpp(ignored, [&] {
        std::string joined;
        for (const auto& line : receiver->take_log()) joined += (joined.empty() ? "" : "; ") + line;
        if (!joined.empty()) text = wcfdw::pg::pstrdup_guarded(joined);
    });
    if (text) {
        elog(LOG, "woocommerce_fdw webhook receiver: %s", text);
        pfree(text);
    }
}

// Complete requests, copied into delivery_context. Returns how many.
int take_requests(PlainRequest** out) {
    int count = 0;
    *out = nullptr;
    wcfdw::pg::PendingError pending;
    if (!wcfdw::pg::run_cpp(pending, [&] {
            receiver->run();
            const auto ready = receiver->take_ready();
            if (ready.empty()) return;
            auto* requests = static_cast<PlainRequest*>(wcfdw::pg::pg_call(palloc0, sizeof(PlainRequest) * ready.size()));
            for (const auto& r : ready) {
                PlainRequest& p = requests[count++];
                p.id = r.id;
                const std::string suffix = "/auth-callback";
                p.auth_callback = r.path.size() >= suffix.size() &&
                                  r.path.compare(r.path.size() - suffix.size(), suffix.size(), suffix) == 0;
                p.headers_json = wcfdw::pg::pstrdup_guarded(r.headers.dump());
                p.body = static_cast<bytea*>(wcfdw::pg::pg_call(palloc, VARHDRSZ + r.body.size()));
                SET_VARSIZE(p.body, VARHDRSZ + r.body.size());
                memcpy(VARDATA(p.body), r.body.data(), r.body.size());
            }
            *out = requests;
        }))
        wcfdw::pg::raise_pending_error(pending);
    return count;
}

void answer(uint64 id, int status, const char* body) {
    wcfdw::pg::PendingError ignored;
    wcfdw::pg::run_cpp(ignored, [&] {
        receiver->answer(id, status, body);
        receiver->run();
    });
}

// One delivery, one transaction. The answer is decided after the commit;
// an error rolls everything back and answers 500 (details in the log only).
void process(const PlainRequest* r, int* status, char** body) {
    MemoryContext caller = CurrentMemoryContext;
    *status = 500;
    *body = pstrdup(R"({"status":500,"outcome":"failed","message":"the delivery could not be processed; see the server log"})");
    PG_TRY();
    {
        SetCurrentStatementStartTimestamp();
        StartTransactionCommand();
        // Background workers get no statement timeout of their own: one
        // delivery may not hold the receiver longer than this.
        if (StatementTimeout > 0) enable_timeout_after(STATEMENT_TIMEOUT, StatementTimeout);
        if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
        PushActiveSnapshot(GetTransactionSnapshot());
        pgstat_report_activity(STATE_RUNNING, r->auth_callback ? "woocommerce wc-auth callback" : "woocommerce webhook delivery");
        Oid types[2] = {JSONBOID, BYTEAOID};
        Datum args[2] = {DirectFunctionCall1(jsonb_in, CStringGetDatum(r->headers_json)), PointerGetDatum(r->body)};
        const char* query = r->auth_callback
            ? "SELECT a->>'status', a::pg_catalog.text FROM woocommerce.receive_auth_callback($1, $2) a"
            : "SELECT a->>'status', a::pg_catalog.text FROM woocommerce.receive_webhook($1, $2) a";
        const int rc = SPI_execute_with_args(query, 2, types, args, nullptr, false, 1);
        if (rc != SPI_OK_SELECT || SPI_processed != 1) elog(ERROR, "the webhook function did not answer (SPI result %d)", rc);
        char* status_text = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
        char* answer_text = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
        const int answered = status_text ? atoi(status_text) : 0;
        MemoryContext spi = MemoryContextSwitchTo(caller);
        char* kept = pstrdup(answer_text ? answer_text : "{}");
        MemoryContextSwitchTo(spi);
        SPI_finish();
        PopActiveSnapshot();
        CommitTransactionCommand();
        disable_timeout(STATEMENT_TIMEOUT, false);
        MemoryContextSwitchTo(caller);
        pgstat_report_activity(STATE_IDLE, nullptr);
        *status = answered >= 100 && answered <= 599 ? answered : 500;
        *body = kept;
    }
    PG_CATCH();
    {
        MemoryContextSwitchTo(caller);
        ErrorData* error = CopyErrorData();
        FlushErrorState();
        AbortCurrentTransaction();
        disable_timeout(STATEMENT_TIMEOUT, false);
        MemoryContextSwitchTo(caller);
        pgstat_report_activity(STATE_IDLE, nullptr);
        ereport(LOG, (errmsg("woocommerce_fdw webhook receiver: a %s failed: %s",
                             r->auth_callback ? "wc-auth callback" : "delivery", error->message),
                      error->hint ? errhint("%s", error->hint) : 0));
        FreeErrorData(error);
    }
    PG_END_TRY();
}

void serve_ready_requests() {
    MemoryContext old = MemoryContextSwitchTo(delivery_context);
    PlainRequest* requests = nullptr;
    const int count = take_requests(&requests);
    for (int i = 0; i < count; ++i) {
        CHECK_FOR_INTERRUPTS();  // SIGTERM: the exit callback answers the rest with 503
        int status = 500;
        char* body = nullptr;
        process(&requests[i], &status, &body);
        answer(requests[i].id, status, body);
    }
    MemoryContextSwitchTo(old);
    MemoryContextReset(delivery_context);
}

// The session the deliveries run in: fixed search_path (the functions are
// schema-qualified; this keeps types and operators from the caller's
// settings) and the statement timeout that bounds one delivery.
void prepare_session() {
    SetConfigOption("search_path", "pg_catalog, pg_temp", PGC_SUSET, PGC_S_OVERRIDE);
    char timeout[32];
    snprintf(timeout, sizeof timeout, "%d", wcfdw::pg::webhook_statement_timeout_ms);
    SetConfigOption("statement_timeout", timeout, PGC_SUSET, PGC_S_OVERRIDE);
}

bool configured() {
    return wcfdw::pg::webhook_listen && wcfdw::pg::webhook_listen[0] && wcfdw::pg::webhook_role &&
           wcfdw::pg::webhook_role[0];
}

void wait_for(long timeout_ms) {
    const int fd = receiver ? receiver->wait_fd() : PGINVALID_SOCKET;
    int events = WL_LATCH_SET | WL_EXIT_ON_PM_DEATH | WL_TIMEOUT;
    if (fd != PGINVALID_SOCKET) events |= WL_SOCKET_READABLE;
    (void)WaitLatchOrSocket(MyLatch, events, fd, timeout_ms, PG_WAIT_EXTENSION);
    ResetLatch(MyLatch);
    CHECK_FOR_INTERRUPTS();
}

// Before a database connection exists: wait until the receiver is configured.
void wait_until_configured() {
    while (!configured()) {
        wait_for(60000);
        if (ConfigReloadPending) {
            ConfigReloadPending = false;
            ProcessConfigFile(PGC_SIGHUP);
        }
    }
}

}  // namespace

void wcfdw_webhook_worker_main(Datum) {
    pqsignal(SIGHUP, SignalHandlerForConfigReload);
    pqsignal(SIGTERM, die);
    pqsignal(SIGPIPE, SIG_IGN);
    BackgroundWorkerUnblockSignals();

    wait_until_configured();
    char database[NAMEDATALEN];
    char role[NAMEDATALEN];
    strlcpy(database, wcfdw::pg::webhook_database, sizeof database);
    strlcpy(role, wcfdw::pg::webhook_role, sizeof role);
    BackgroundWorkerInitializeConnection(database, role, 0);
    prepare_session();
    delivery_context = AllocSetContextCreate(TopMemoryContext, "woocommerce webhook deliveries", ALLOCSET_DEFAULT_SIZES);
    on_proc_exit(answer_on_exit, 0);

    for (;;) {
        if (!receiver && configured()) {
            const ListenSettings wanted = settings_now();
            wcfdw::pg::PendingError error;
            if (start_receiver(wanted, error)) {
                current = wanted;
                last_failure[0] = '\0';
                ereport(LOG, (errmsg("woocommerce_fdw webhook receiver listening on %s%s (database \"%s\", role \"%s\")",
                                     current.listen, current.cert_file[0] ? " with TLS" : "", database, role)));
            } else if (strcmp(last_failure, error.message) != 0) {
                // Tried again every ten seconds; said once.
                strlcpy(last_failure, error.message, sizeof last_failure);
                ereport(WARNING, (errmsg("woocommerce_fdw webhook receiver cannot start: %s", error.message),
                                  error.detail[0] ? errdetail("%s", error.detail) : 0,
                                  error.hint[0] ? errhint("%s", error.hint) : 0));
            }
        }
        log_receiver_messages();
        wait_for(receiver ? receiver->timeout_ms(1000) : 10000);
        if (ConfigReloadPending) {
            ConfigReloadPending = false;
            ProcessConfigFile(PGC_SIGHUP);
            if (strcmp(database, wcfdw::pg::webhook_database) != 0 || strcmp(role, wcfdw::pg::webhook_role) != 0) {
                ereport(LOG, (errmsg("woocommerce_fdw webhook receiver restarts for its new database or role")));
                proc_exit(1);
            }
            const ListenSettings wanted = settings_now();
            if (!configured() || memcmp(&wanted, &current, sizeof wanted) != 0) {
                if (receiver) ereport(LOG, (errmsg("woocommerce_fdw webhook receiver stops listening on %s", current.listen)));
                answer_on_exit(0, 0);
            }
            prepare_session();
        }
        if (receiver) serve_ready_requests();
    }
}

namespace wcfdw::pg {

void register_webhook_worker() {
    if (!process_shared_preload_libraries_in_progress) return;
    BackgroundWorker worker;
    memset(&worker, 0, sizeof worker);
    worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
    worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
    worker.bgw_restart_time = 5;
    snprintf(worker.bgw_library_name, BGW_MAXLEN, "woocommerce_fdw");
    snprintf(worker.bgw_function_name, BGW_MAXLEN, "wcfdw_webhook_worker_main");
    snprintf(worker.bgw_name, BGW_MAXLEN, "woocommerce_fdw webhook receiver");
    snprintf(worker.bgw_type, BGW_MAXLEN, "woocommerce_fdw webhook receiver");
    RegisterBackgroundWorker(&worker);
}

}  // namespace wcfdw::pg
