#!/usr/bin/env python3
"""The webhook worker tests' client (environment from scripts/lib.sh start_store): deliveries
signed the way WooCommerce signs them, with the secret the test store holds for the webhook.

  webhook_client.py wait URL                    until the receiver answers a ping (30 s at most)
  webhook_client.py deliver URL TOPIC BODY [SECRET]   one delivery; prints the status and the answer
  webhook_client.py concurrent URL N            N product.updated deliveries at once
  webhook_client.py slow URL READ_TIMEOUT       a stalled and a trickling client while deliveries go on
  webhook_client.py oversize URL BYTES          a body of BYTES bytes
  webhook_client.py approve                     the shop owner approves $AUTH_URL (the store's control)
  webhook_client.py secrets-in-log MARKER       how many of the keys the wc-auth flow made appear in the
                                                server log (the log that holds MARKER)
An https URL is verified with $WEBHOOK_CA. Outputs are stable lines for pg_regress (counts and
booleans, no timings, no tokens)."""
import base64
import glob
import hashlib
import re
import ssl
import hmac
import http.client
import json
import os
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

STORE = os.environ["WOO_STORE_HTTP"]
SOURCE = os.environ["WOO_STORE_HTTPS"] + "/"


def store_hook(topic):
    with urllib.request.urlopen(STORE + "/__store/webhooks") as r:
        for h in json.load(r):
            if h["topic"] == topic:
                return h
    raise SystemExit("no store webhook for %s" % topic)


def post(url, body, headers, timeout=30):
    u = urllib.parse.urlsplit(url)
    if u.scheme == "https":
        ctx = ssl.create_default_context(cafile=os.environ.get("WEBHOOK_CA"))
        conn = http.client.HTTPSConnection(u.hostname, u.port, timeout=timeout, context=ctx)
    else:
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        conn.request("POST", u.path or "/", body=body, headers=headers)
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as e:
        return 0, str(e)
    finally:
        conn.close()


def delivery(hook, body, secret=None, delivery_id=None):
    raw = body.encode()
    mac = hmac.new((secret or hook["secret"]).encode(), raw, hashlib.sha256).digest()
    resource, event = hook["topic"].split(".", 1)
    headers = {"User-Agent": "WooCommerce/10.0.2 Hookshot (WordPress/6.8.8)", "Content-Type": "application/json",
               "X-WC-Webhook-Source": SOURCE, "X-WC-Webhook-Topic": hook["topic"], "X-WC-Webhook-Resource": resource,
               "X-WC-Webhook-Event": event, "X-WC-Webhook-Signature": base64.b64encode(mac).decode(),
               "X-WC-Webhook-ID": str(hook["id"]),
               "X-WC-Webhook-Delivery-ID": delivery_id or hashlib.md5(os.urandom(16)).hexdigest(),
               "Connection": "close"}
    return raw, headers


def cmd_wait(url):
    deadline = time.time() + 30
    while time.time() < deadline:
        status, _ = post(url, b"webhook_id=1", {"Content-Type": "application/x-www-form-urlencoded"}, timeout=2)
        if status == 200:
            print("receiver answers")
            return 0
        time.sleep(0.1)
    print("receiver does not answer")
    return 1


def cmd_deliver(url, topic, body, secret=None):
    raw, headers = delivery(store_hook(topic), body, secret)
    status, answer = post(url, raw, headers)
    print(status, answer)
    return 0


def cmd_concurrent(url, n):
    hook = store_hook("product.updated")
    with urllib.request.urlopen(STORE + "/__store/summary") as r:
        summary = json.load(r)
    first = summary["first_product_id"]
    ids = [first + i for i in range(10) if str(first + i) not in summary["variable_products"]]
    statuses = [None] * n
    start = threading.Barrier(n)

    def one(i):
        raw, headers = delivery(hook, '{"id":%d,"n":%d}' % (ids[i % len(ids)], i))
        start.wait()
        statuses[i] = post(url, raw, headers, timeout=120)[0]

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts = {}
    for s in statuses:
        counts[s] = counts.get(s, 0) + 1
    print(" ".join("%s: %d" % (k, v) for k, v in sorted(counts.items())))
    return 0


def connect(url):
    u = urllib.parse.urlsplit(url)
    return socket.create_connection((u.hostname, u.port), timeout=60)


def closed_within(sock, seconds):
    """Whether the receiver closes the connection within `seconds`."""
    sock.settimeout(0.2)
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if sock.recv(4096) == b"":
                return True
        except socket.timeout:
            continue
        except OSError:
            return True
    return False


def cmd_slow(url, read_timeout):
    u = urllib.parse.urlsplit(url)
    stalled = connect(url)  # promises a body it never sends
    stalled.sendall(("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: 500\r\n\r\n{" % (u.path, u.netloc)).encode())
    trickler = connect(url)  # a byte every 100 ms: never idle, never done
    stop = threading.Event()

    def trickle():
        text = ("POST %s HTTP/1.1\r\nHost: %s\r\nX-Slow: " % (u.path, u.netloc)).encode() + b"a" * 100000
        for b in text:
            if stop.is_set():
                return
            try:
                trickler.send(bytes([b]))
            except OSError:
                return
            time.sleep(0.1)

    t = threading.Thread(target=trickle, daemon=True)
    t.start()
    hook = store_hook("product.updated")
    with urllib.request.urlopen(STORE + "/__store/summary") as r:
        first = json.load(r)["first_product_id"]
    started = time.time()
    ok = 0
    for i in range(5):
        raw, headers = delivery(hook, '{"id":%d}' % first)
        ok += post(url, raw, headers)[0] == 200
    served_before_timeout = time.time() - started < read_timeout
    print("deliveries answered 200 while two clients hang: %d of 5" % ok)
    print("not held up by them:", served_before_timeout)
    print("stalled client cut off:", closed_within(stalled, read_timeout + 5))
    print("trickling client cut off:", closed_within(trickler, read_timeout + 5))
    stop.set()
    return 0


def cmd_oversize(url, n):
    raw, headers = delivery(store_hook("product.updated"), '{"id":1,"pad":"%s"}' % ("x" * n))
    status, answer = post(url, raw, headers)
    print(status, json.loads(answer).get("reason") if answer.startswith("{") else answer)
    return 0


def mask(text):
    return re.sub(r"user_id=[0-9a-f]{16,}", "user_id=<state>", text)


def cmd_approve():
    req = urllib.request.Request(STORE + "/__store/wc-auth/approve", method="POST",
                                 data=json.dumps({"url": os.environ["AUTH_URL"]}).encode())
    with urllib.request.urlopen(req) as r:
        answer = json.load(r)
    print("store answers", answer["status"], mask(answer.get("location") or answer.get("message") or ""))
    return 0


def cmd_secrets_in_log(marker):
    with urllib.request.urlopen(STORE + "/__store/wc-auth/keys/all") as r:
        secrets = [k["consumer_secret"] for k in json.load(r)]
    # Debian's layout: /var/log/postgresql for clusters made by root, the
    # pg_virtualenv work directory's log/ otherwise; others' logs may be unreadable.
    texts = []
    for p in glob.glob("/var/log/postgresql/*.log") + glob.glob(os.path.join(tempfile.gettempdir(), "pg_virtualenv.*/log/*.log")):
        try:
            with open(p, errors="replace") as f:
                t = f.read()
        except OSError:
            continue
        if marker in t:
            texts.append(t)
    print("server log found:", len(texts) == 1)
    text = "".join(texts)
    print("keys made:", len(secrets), "- secrets in the server log:", sum(1 for s in secrets if s in text))
    return 0


def main(argv):
    cmd = argv[1]
    if cmd == "wait":
        return cmd_wait(argv[2])
    if cmd == "deliver":
        return cmd_deliver(argv[2], argv[3], argv[4], argv[5] if len(argv) > 5 else None)
    if cmd == "concurrent":
        return cmd_concurrent(argv[2], int(argv[3]))
    if cmd == "slow":
        return cmd_slow(argv[2], float(argv[3]))
    if cmd == "oversize":
        return cmd_oversize(argv[2], int(argv[3]))
    if cmd == "approve":
        return cmd_approve()
    if cmd == "secrets-in-log":
        return cmd_secrets_in_log(argv[2])
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
