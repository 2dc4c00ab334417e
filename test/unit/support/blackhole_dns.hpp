// A DNS server that never answers, for tests of cancel during name
// resolution. getaddrinfo reads /etc/resolv.conf, so the test body runs in
// a child process with its own mount and network namespaces: a resolv.conf
// naming 127.0.0.1 bound over the real one, the loopback interface up, and
// UDP and TCP sockets on 127.0.0.1:53 that take queries and never answer.
// Nothing outside the child sees any of it, and no packet leaves loopback.
#pragma once

#include <functional>
#include <string>

namespace wcfdw::testing {

// Runs `body` in such a child; returns its exit code (body's return value),
// or -1 with `why_not` set when this machine cannot make the namespaces
// (not root and no unprivileged user namespaces, a shared mount tree that
// cannot be made private, no /etc/resolv.conf): the caller skips.
int run_with_blackhole_dns(const std::function<int()>& body, std::string& why_not);

}  // namespace wcfdw::testing
