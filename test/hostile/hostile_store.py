#!/usr/bin/env python3
"""A hostile WooCommerce store: every answer broken in a chosen way.

Python standard library only; listens on loopback only. Every request under
/wp-json/ is answered by the current mode (answers.py lists them all); the
control endpoint under /__hostile/ chooses it:

  POST /__hostile/mode    {"mode": "redirect_301", "only": "POST /wp-json/wc/v3/products/batch"}
                          ("only": a path prefix, optionally after a method,
                          the mode applies to; other requests get
                          well-behaved answers)
  GET  /__hostile/modes   the mode names
  GET  /__hostile/log     {"count": n, "requests": ["GET /wp-json/...", ...]} since the last reset
  POST /__hostile/reset   mode "normal", log cleared
  GET  /__hostile/health  ok

With --dns HOST:PORT it also binds UDP and TCP sockets there that take DNS
queries and never answer (a name server that hangs), for tests of cancel
during name resolution; HOST must be a loopback address.

  python3 test/hostile/hostile_store.py --port 18090 [--port-file F] [--dns 127.0.0.153:53]
"""
import argparse
import ipaddress
import json
import os
import socket
import socketserver
import struct
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import answers  # noqa: E402

REASONS = {200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found",
           404: "Not Found", 429: "Too Many Requests", 503: "Service Unavailable"}


class Request:
    def __init__(self, method, target, headers, body):
        self.method = method
        self.target = target
        parsed = urllib.parse.urlsplit(target)
        self.path = parsed.path
        self.query = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
        self.headers = headers
        self.body = body


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.mode = "normal"
        self.only = ""
        self.log = []

    def choose(self, req):
        with self.lock:
            self.log.append("%s %s" % (req.method, req.path + ("?" + urllib.parse.urlencode(
                {k: v for k, v in req.query.items() if k not in ("consumer_secret", "oauth_signature")})
                if req.query else "")))
            method, _, prefix = self.only.rpartition(" ")
            if req.path.startswith(prefix) and method in ("", req.method):
                return answers.MODES[self.mode]
            return answers.normal


STATE = State()


def read_request(rfile):
    line = rfile.readline(65537)
    if not line:
        return None
    parts = line.decode("latin-1").split()
    if len(parts) < 2:
        return None
    headers = {}
    total = 0
    while True:
        h = rfile.readline(65537)
        total += len(h)
        if not h or h in (b"\r\n", b"\n") or total > 1024 * 1024:
            break
        name, _, value = h.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or "0")
    body = rfile.read(length) if length > 0 else b""
    return Request(parts[0], parts[1], headers, body)


def head_bytes(answer, length=True):
    lines = ["HTTP/1.1 %d %s" % (answer.status, REASONS.get(answer.status, "Status"))]
    names = {n.lower() for n, _ in answer.headers}
    lines += ["%s: %s" % (n, v) for n, v in answer.headers]
    if length and "content-length" not in names:
        lines.append("Content-Length: %d" % len(answer.body))
    if answer.close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class Handler(socketserver.StreamRequestHandler):
    timeout = 600

    def handle(self):
        while True:
            try:
                req = read_request(self.rfile)
            except (OSError, ValueError):
                return
            if req is None:
                return
            if req.path.startswith("/__hostile/"):
                if not self.control(req):
                    return
                continue
            answer = STATE.choose(req)(req)
            if not self.send(answer):
                return

    def send(self, a):
        """Writes the answer; False when the connection is done."""
        sock = self.connection
        try:
            if a.raw is not None:
                sock.sendall(a.raw)
                return not a.close
            if a.action == "stall":
                time.sleep(600)
                return False
            if a.action == "trickle":
                sock.sendall(head_bytes(a))
                for i in range(len(a.body)):
                    sock.sendall(a.body[i:i + 1])
                    time.sleep(a.params["interval"])
                return True
            if a.action == "trickle_headers":
                for i, b in enumerate(head_bytes(a)):
                    sock.sendall(bytes([b]))
                    time.sleep(a.params["interval"])
                sock.sendall(a.body)
                return True
            if a.action in ("reset_mid_body", "close_mid_body"):
                sock.sendall(head_bytes(a) + a.body[: len(a.body) // 2])
                if a.action == "reset_mid_body":
                    # SO_LINGER 0: close sends RST instead of FIN.
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return False
            sock.sendall(head_bytes(a) + a.body)
            return not a.close
        except OSError:
            return False

    def control(self, req):
        reply = {"ok": True}
        status = 200
        if req.path == "/__hostile/mode" and req.method == "POST":
            try:
                wanted = json.loads(req.body or b"{}")
            except ValueError:
                wanted = {}
            mode = wanted.get("mode", "")
            if mode not in answers.MODES:
                status, reply = 400, {"ok": False, "error": "unknown mode %r" % mode}
            else:
                with STATE.lock:
                    STATE.mode = mode
                    STATE.only = wanted.get("only", "")
                    STATE.log = []
        elif req.path == "/__hostile/reset":
            with STATE.lock:
                STATE.mode, STATE.only, STATE.log = "normal", "", []
        elif req.path == "/__hostile/log":
            with STATE.lock:
                reply = {"count": len(STATE.log), "requests": list(STATE.log)}
        elif req.path == "/__hostile/modes":
            reply = {"modes": sorted(answers.MODES)}
        elif req.path != "/__hostile/health":
            status, reply = 404, {"ok": False, "error": "no such control"}
        body = answers.js(reply)
        try:
            self.connection.sendall(head_bytes(answers.Answer(status, body, [("Content-Type", "application/json")])) +
                                    body)
        except OSError:
            return False
        return True


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def silent_dns(spec):
    """UDP and TCP sockets that take DNS queries and never answer."""
    host, _, port = spec.rpartition(":")
    if not ipaddress.ip_address(host).is_loopback:
        sys.exit("--dns must be a loopback address, not %s" % host)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind((host, int(port)))
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind((host, int(port)))
    tcp.listen(64)

    def swallow():
        while True:
            udp.recvfrom(4096)  # read and drop: the client waits for its timeout

    def hold():
        held = []
        while True:
            conn, _ = tcp.accept()
            held.append(conn)  # never answered, never closed

    threading.Thread(target=swallow, daemon=True).start()
    threading.Thread(target=hold, daemon=True).start()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=18090)
    ap.add_argument("--port-file", help="write the port listened on here (useful with --port 0)")
    ap.add_argument("--dns", help="HOST:PORT for a DNS server that never answers")
    args = ap.parse_args()
    if not ipaddress.ip_address(args.host).is_loopback:
        sys.exit("the hostile store listens on loopback only")
    if args.dns:
        silent_dns(args.dns)
    server = Server((args.host, args.port), Handler)
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        os.replace(args.port_file + ".tmp", args.port_file)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
