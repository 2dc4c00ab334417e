#!/bin/sh
# A certificate for the webhook receiver at 127.0.0.1 (test only), readable by
# the server: /tmp/woocommerce_fdw_receiver_tls/cert.pem and key.pem. The test
# store is told to trust it for the wc-auth callback.
set -e
dir=/tmp/woocommerce_fdw_receiver_tls
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1
chmod 755 "$dir"
chmod 644 "$dir/cert.pem" "$dir/key.pem"
