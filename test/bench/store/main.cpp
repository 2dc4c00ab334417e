// bench_store: a WooCommerce-compatible store for the benchmarks that is not
// their bottleneck. See test/bench/README.md.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "http_server.hpp"
#include "store_app.hpp"

namespace {

benchstore::HttpServer* g_server = nullptr;

void on_signal(int) {
    if (g_server) g_server->stop();
}

void usage() {
    std::fprintf(stderr,
                 "usage: bench_store --port P [--host 127.0.0.1] [--products N] [--seed S] [--latency-ms L]\n"
                 "                   [--timezone Europe/Berlin] [--cache-mb 512] [--repo DIR]\n"
                 "Answers the wc/v3 requests the benchmarks make as test/store/woostore.py does (HTTP, OAuth 1.0a,\n"
                 "the test store's keys), fast and in parallel; controls under /__store/ (health, reset, config,\n"
                 "requests, counters, summary). --repo: the repository root (default: where it was built from).\n");
}

}  // namespace

int main(int argc, char** argv) {
    benchstore::StoreOptions options;
    options.repo = BENCH_STORE_REPO;
    std::string host = "127.0.0.1";
    int port = -1;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                usage();
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--port") port = std::stoi(next());
        else if (a == "--host") host = next();
        else if (a == "--products") options.products = std::stoll(next());
        else if (a == "--seed") options.seed = std::stoull(next());
        else if (a == "--latency-ms") options.latency_ms = std::stod(next());
        else if (a == "--timezone") options.timezone = next();
        else if (a == "--cache-mb") options.cache_mb = std::stoul(next());
        else if (a == "--repo") options.repo = next();
        else if (a == "--quiet") continue;
        else {
            usage();
            return 2;
        }
    }
    if (port < 0) {
        usage();
        return 2;
    }
    try {
        benchstore::StoreApp app(options);
        benchstore::HttpServer server(host, port, [&app](const benchstore::HttpRequest& r) { return app.handle(r); });
        g_server = &server;
        std::signal(SIGTERM, on_signal);
        std::signal(SIGINT, on_signal);
        std::signal(SIGPIPE, SIG_IGN);
        std::printf("bench_store listening on http://%s:%d\n", host.c_str(), server.port());
        std::fflush(stdout);
        server.serve();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_store: %s\n", e.what());
        return 1;
    }
    return 0;
}
