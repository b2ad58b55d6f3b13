#!/usr/bin/env bash
# Starts `alknet serve --stealth` on a loopback TLS port and runs `nmap -sV` against it: the scan must see a
# web server (nginx) and never SSH. Prints nmap's report.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" \
  -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
./alknet keygen -f "$work/host" >/dev/null
./alknet keygen -f "$work/client" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ALKNET_STATE_DIR="$work/state" ./alknet serve --listen "tls://127.0.0.1:$port" --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" \
  --stealth --host-key "$work/host" --authorized-keys "$work/client.pub" >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.2; done
report=$(nmap -sV -Pn -p "$port" 127.0.0.1 | grep -v '^SF')
echo "$report"
if echo "$report" | grep -i "^$port/tcp" | grep -qi ssh; then
  echo "stealth-scan: nmap recognised SSH on the stealth port" >&2
  exit 1
fi
echo "$report" | grep -i "^$port/tcp" | grep -qi "nginx\|http" || { echo "stealth-scan: nmap did not see a web server" >&2; exit 1; }
echo "stealth-scan: nmap sees a web server, not SSH"
