#include "support/blackhole_dns.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace wcfdw::testing {
namespace {

bool write_file(const char* path, const std::string& text) {
    const int fd = ::open(path, O_WRONLY);
    if (fd < 0) return false;
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    return ok;
}

// Own namespaces: as root directly, otherwise through a user namespace
// that maps us to root inside.
std::string enter_namespaces() {
    if (::geteuid() == 0) {
        if (::unshare(CLONE_NEWNS | CLONE_NEWNET) != 0) return std::string("unshare: ") + std::strerror(errno);
        return {};
    }
    const uid_t uid = ::geteuid();
    const gid_t gid = ::getegid();
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET) != 0)
        return std::string("unshare (user namespace): ") + std::strerror(errno);
    if (!write_file("/proc/self/setgroups", "deny") ||
        !write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1") ||
        !write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1"))
        return "cannot map the user namespace";
    return {};
}

// The mount holding /etc must not pass our bind mount back to the host.
std::string make_mounts_private() {
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0) return {};
    // In a chroot "/" is no mount point: then check the mount under /etc.
    std::ifstream info("/proc/self/mountinfo");
    std::string line, best_line;
    std::size_t best = 0;
    while (std::getline(info, line)) {
        std::istringstream fields(line);
        std::string id, parent, dev, root, point;
        fields >> id >> parent >> dev >> root >> point;
        const std::string target = "/etc/resolv.conf";
        if (target.compare(0, point.size(), point) == 0 && point.size() >= best) {
            best = point.size();
            best_line = line;
        }
    }
    if (best_line.find(" shared:") != std::string::npos) return "the mount tree is shared and cannot be made private";
    return {};
}

std::string bind_resolv_conf() {
    char path[] = "/tmp/blackhole_resolv.XXXXXX";
    const int fd = ::mkstemp(path);
    if (fd < 0) return "mkstemp failed";
    const std::string text = "nameserver 127.0.0.1\noptions timeout:5 attempts:2\n";
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!written) return "cannot write the resolv.conf";
    if (::access("/etc/resolv.conf", F_OK) != 0) return "no /etc/resolv.conf to bind over";
    if (::mount(path, "/etc/resolv.conf", nullptr, MS_BIND, nullptr) != 0)
        return std::string("bind mount: ") + std::strerror(errno);
    ::unlink(path);
    return {};
}

std::string loopback_up() {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) return "socket failed";
    ifreq ifr{};
    std::snprintf(ifr.ifr_name, IFNAMSIZ, "lo");
    std::string error;
    if (::ioctl(fd, SIOCGIFFLAGS, &ifr) != 0) error = "SIOCGIFFLAGS failed";
    ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
    if (error.empty() && ::ioctl(fd, SIOCSIFFLAGS, &ifr) != 0) error = "cannot bring lo up";
    ::close(fd);
    return error;
}

// Bound, never read: queries wait in the socket buffer, no "port
// unreachable" comes back, so the resolver waits its full timeout.
std::string silent_dns_sockets() {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(53);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const int udp = ::socket(AF_INET, SOCK_DGRAM, 0);
    const int tcp = ::socket(AF_INET, SOCK_STREAM, 0);
    if (udp < 0 || tcp < 0) return "socket failed";
    if (::bind(udp, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::bind(tcp, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(tcp, 16) != 0)
        return std::string("cannot bind 127.0.0.1:53: ") + std::strerror(errno);
    return {};  // both stay open until the child exits
}

}  // namespace

int run_with_blackhole_dns(const std::function<int()>& body, std::string& why_not) {
    int report[2];
    if (::pipe(report) != 0) {
        why_not = "pipe failed";
        return -1;
    }
    const pid_t child = ::fork();
    if (child < 0) {
        why_not = "fork failed";
        return -1;
    }
    if (child == 0) {
        ::close(report[0]);
        std::string error = enter_namespaces();
        if (error.empty()) error = make_mounts_private();
        if (error.empty()) error = bind_resolv_conf();
        if (error.empty()) error = loopback_up();
        if (error.empty()) error = silent_dns_sockets();
        if (!error.empty()) {
            (void)::write(report[1], error.data(), error.size());
            ::_exit(125);
        }
        ::close(report[1]);
        ::_exit(body());
    }
    ::close(report[1]);
    char buffer[256] = {};
    const ssize_t n = ::read(report[0], buffer, sizeof buffer - 1);
    ::close(report[0]);
    // The body waits for a lookup at most: give it 60 s before giving up.
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (::waitpid(child, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(child, SIGKILL);
            ::waitpid(child, &status, 0);
            why_not.clear();
            return 124;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 125) {
        why_not = n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : "setup failed";
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace wcfdw::testing
