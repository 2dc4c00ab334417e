// bench_load: a load generator for the benchmark store that is not itself
// the bottleneck: N threads, one keep-alive connection each, blocking
// sockets, OAuth 1.0a signed GETs (the core's signer) of pages 1..P in turn.
// Reports pages per second and the CPU the store (and the generator) spent
// per page, read from /proc.
//
// With --creates N it sends N batches of 100 product creates instead, one
// after another on one connection, and reports the store's CPU per batch.
//
// Usage: bench_load --port P --store-pid PID [--connections 4] [--seconds 5]
//                   [--pages 100] [--query "context=edit&_fields=id,sku,name,regular_price,type"]
//        bench_load --port P --store-pid PID --creates 50
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/transport/crypto.hpp"
#include "core/transport/oauth1.hpp"
#include "core/transport/url.hpp"

namespace {

struct Options {
    int port = 0, connections = 4, pages = 100, creates = 0;
    long store_pid = 0;
    double seconds = 5;
    std::string query = "context=edit&_fields=id,sku,name,regular_price,type";
};

struct Totals {
    std::atomic<long> pages{0}, bytes{0}, errors{0};
};

// Clock ticks of user + system CPU of a process (fields 14 and 15 of /proc/PID/stat).
double cpu_seconds(long pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t close = text.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream fields(text.substr(close + 2));
    std::string f;
    long utime = 0, stime = 0;
    for (int i = 3; fields >> f; ++i) {
        if (i == 14) utime = std::stol(f);
        if (i == 15) {
            stime = std::stol(f);
            break;
        }
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double own_cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

int connect_to(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

// A POST products/batch creating 100 products named after the batch number.
std::string create_batch_request(const Options& o, int batch) {
    wcfdw::HttpRequest r;
    const std::string host = "127.0.0.1:" + std::to_string(o.port);
    r.url = "http://" + host + "/wp-json/wc/v3/products/batch";
    r.method = wcfdw::HttpMethod::Post;
    wcfdw::oauth1_sign_request(r, {"ck_test_readwrite_0000000000000000000000000", "cs_test_readwrite_0000000000000000000000000"},
                               wcfdw::OAuthSignatureMethod::HmacSha256, std::to_string(time(nullptr)),
                               wcfdw::random_nonce() + std::to_string(batch));
    std::string body = "{\"create\":[";
    for (int i = 0; i < 100; ++i) {
        const int n = batch * 100 + i;
        body += (i ? "," : "") + std::string("{\"name\":\"Load item ") + std::to_string(n) + "\",\"sku\":\"LOAD-" +
                std::to_string(n) + "\",\"regular_price\":\"" + std::to_string(1 + n % 90) + ".99\"}";
    }
    body += "]}";
    return "POST /wp-json/wc/v3/products/batch?" + wcfdw::build_query_string(r.query) + " HTTP/1.1\r\nHost: " + host +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string signed_request(const Options& o, int page, long serial) {
    wcfdw::HttpRequest r;
    const std::string host = "127.0.0.1:" + std::to_string(o.port);
    r.url = "http://" + host + "/wp-json/wc/v3/products";
    std::istringstream q(o.query + "&per_page=100&orderby=id&order=asc&page=" + std::to_string(page));
    for (std::string pair; std::getline(q, pair, '&');) {
        const std::size_t eq = pair.find('=');
        r.query.push_back({pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1)});
    }
    const std::string nonce = wcfdw::random_nonce() + std::to_string(serial);
    wcfdw::oauth1_sign_request(r, {"ck_test_read_00000000000000000000000000000", "cs_test_read_00000000000000000000000000000"},
                               wcfdw::OAuthSignatureMethod::HmacSha256, std::to_string(time(nullptr)), nonce);
    return "GET /wp-json/wc/v3/products?" + wcfdw::build_query_string(r.query) + " HTTP/1.1\r\nHost: " + host +
           "\r\nAccept: */*\r\n\r\n";
}

// Reads one response; returns the body size, or -1.
long read_response(int fd, std::string& buf) {
    char chunk[1 << 16];
    std::size_t head_end;
    while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return -1;
        buf.append(chunk, static_cast<std::size_t>(n));
    }
    const std::size_t cl = buf.find("Content-Length: ");
    if (cl == std::string::npos || cl > head_end) return -1;
    const long length = std::stol(buf.substr(cl + 16));
    const bool ok = buf.compare(0, 12, "HTTP/1.1 200") == 0;
    const std::size_t want = head_end + 4 + static_cast<std::size_t>(length);
    while (buf.size() < want) {
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return -1;
        buf.append(chunk, static_cast<std::size_t>(n));
    }
    buf.erase(0, want);
    return ok ? length : -1;
}

void worker(const Options& o, int index, std::chrono::steady_clock::time_point end, Totals& totals) {
    const int fd = connect_to(o.port);
    if (fd < 0) {
        ++totals.errors;
        return;
    }
    std::string buf;
    long serial = 0;
    for (int page = 1 + index; std::chrono::steady_clock::now() < end; page = page % o.pages + 1) {
        const std::string req = signed_request(o, page, ++serial * 64 + index);
        if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) break;
        const long n = read_response(fd, buf);
        if (n < 0) {
            ++totals.errors;
            break;
        }
        ++totals.pages;
        totals.bytes += n;
    }
    ::close(fd);
}

int create_batches(const Options& o) {
    const int fd = connect_to(o.port);
    if (fd < 0) return 1;
    std::string buf;
    const double store0 = o.store_pid ? cpu_seconds(o.store_pid) : 0;
    const auto start = std::chrono::steady_clock::now();
    for (int b = 0; b < o.creates; ++b) {
        const std::string req = create_batch_request(o, b);
        if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size()) || read_response(fd, buf) < 0) {
            std::fprintf(stderr, "batch %d failed\n", b);
            return 1;
        }
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double store_cpu = o.store_pid ? cpu_seconds(o.store_pid) - store0 : 0;
    std::printf("batches %d wall_ms_per_batch %.3f store_cpu_ms_per_batch %.3f\n", o.creates, wall * 1000 / o.creates,
                store_cpu * 1000 / o.creates);
    ::close(fd);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i], v = argv[i + 1];
        if (a == "--port") o.port = std::stoi(v);
        else if (a == "--store-pid") o.store_pid = std::stol(v);
        else if (a == "--connections") o.connections = std::stoi(v);
        else if (a == "--seconds") o.seconds = std::stod(v);
        else if (a == "--pages") o.pages = std::stoi(v);
        else if (a == "--query") o.query = v;
        else if (a == "--creates") o.creates = std::stoi(v);
        else {
            std::fprintf(stderr, "unknown option %s\n", a.c_str());
            return 2;
        }
    }
    if (o.creates > 0) return create_batches(o);
    Totals totals;
    const double store0 = o.store_pid ? cpu_seconds(o.store_pid) : 0, own0 = own_cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                 std::chrono::duration<double>(o.seconds));
    std::vector<std::thread> threads;
    for (int i = 0; i < o.connections; ++i) threads.emplace_back(worker, std::cref(o), i, end, std::ref(totals));
    for (auto& t : threads) t.join();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double store_cpu = o.store_pid ? cpu_seconds(o.store_pid) - store0 : 0, own_cpu = own_cpu_seconds() - own0;
    const double pages = static_cast<double>(totals.pages.load());
    std::printf("pages %ld errors %ld wall_s %.3f pages_per_s %.0f MB_per_s %.1f bytes_per_page %.0f "
                "store_cpu_ms_per_page %.4f load_cpu_ms_per_page %.4f\n",
                totals.pages.load(), totals.errors.load(), wall, pages / wall,
                static_cast<double>(totals.bytes.load()) / wall / 1e6,
                pages ? static_cast<double>(totals.bytes.load()) / pages : 0, pages ? store_cpu * 1000 / pages : 0,
                pages ? own_cpu * 1000 / pages : 0);
    return totals.errors.load() ? 1 : 0;
}
