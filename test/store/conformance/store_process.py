"""Starts and stops a private test store (HTTP + HTTPS with a self-signed certificate)."""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from .client import CFG

STORE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "woostore.py")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _certificate(tmp):
    """A self-signed certificate made with the openssl CLI, or None (then HTTPS cases fail)."""
    if not shutil.which("openssl"):
        print("openssl CLI not found: no HTTPS listener, the HTTPS cases will fail", file=sys.stderr)
        return None
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    r = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=127.0.0.1"], capture_output=True)
    if r.returncode != 0:
        print("openssl failed (%s): the HTTPS cases will fail" % r.stderr.decode()[:200], file=sys.stderr)
        return None
    return cert, key


def start_store():
    tmp = tempfile.mkdtemp(prefix="woostore-test-")
    CFG["tmp"] = tmp
    port = free_port()
    cmd = [sys.executable, STORE, "--port", str(port), "--quiet"]
    tls_port = None
    pair = _certificate(tmp)
    if pair:
        tls_port = free_port()
        cmd += ["--tls-port", str(tls_port), "--tls-cert", pair[0], "--tls-key", pair[1]]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    deadline = time.time() + 15
    want = 2 if tls_port else 1
    while len(lines) < want and time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith("woostore listening on"):
            lines.append(line.split()[-1])
    if len(lines) < want:
        proc.kill()
        raise RuntimeError("store did not start: %s" % proc.stderr.read())
    CFG["proc"] = proc
    CFG["http"] = "http://127.0.0.1:%d" % port
    CFG["https"] = ("https://127.0.0.1:%d" % tls_port) if tls_port else None


def stop_store():
    proc = CFG.get("proc")
    if proc is not None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()
    if CFG.get("tmp"):
        shutil.rmtree(CFG["tmp"], ignore_errors=True)
