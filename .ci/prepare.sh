#!/usr/bin/env bash
# Sourced by ./test (and so by .ci/run): installs what the test suite needs on a fresh Debian/Ubuntu machine
# and exports where it is. Idempotent: what is there already is kept; builds are cached outside the clone
# (cargo's target dir, the iroh relay and Pebble under ~/.cache/alknet). Needs root or sudo for apt-get.

log() { printf '\n== %s ==\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

log "system packages (OpenSSH client and server, curl, fail2ban-regex, paramiko, prometheus-client, openssl, nmap, ss, nginx, unzip, systemd-analyze, PostgreSQL)"
missing=()
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-client)
command -v fail2ban-regex >/dev/null 2>&1 || missing+=(fail2ban)
# Debian's python3 with paramiko: a real SSH client that sends password and keyboard-interactive attempts
/usr/bin/python3 -c 'import paramiko' >/dev/null 2>&1 || missing+=(python3-paramiko)
# MetricsTest reads the metrics endpoint's scrape with a real Prometheus text-format parser (prometheus_client's)
/usr/bin/python3 -c 'import prometheus_client.parser' >/dev/null 2>&1 || missing+=(python3-prometheus-client)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v nmap >/dev/null 2>&1 || missing+=(nmap)
command -v ss >/dev/null 2>&1 || missing+=(iproute2)
# StealthNginxTest compares the stealth port with Debian 12's nginx 1.22, which it starts itself as this user
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v go >/dev/null 2>&1 || [ -x /usr/local/go/bin/go ] || missing+=(golang-go)
# the package (./mvnw -Pdist): build.sh reads the jars with unzip; DistTest checks the unit with systemd-analyze
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
# the storage tests start throwaway PostgreSQL clusters of their own (initdb + pg_ctl, as the postgres user under root)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# sshd refuses to start without its privilege-separation directory.
as_root mkdir -p /run/sshd

log "JDK 25"
if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | head -n 1 | grep -q '"25'; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    if [ -x "$candidate/bin/javac" ]; then export JAVA_HOME="$candidate"; break; fi
  done
fi
"$JAVA_HOME/bin/java" -version 2>&1 | head -n 1

log "Rust (cargo builds the iroh transport's native library; its build is cached outside the clone)"
export PATH="$PATH:$HOME/.cargo/bin"
if ! command -v cargo >/dev/null 2>&1; then
  # Debian's cargo, when the machine has no rustup toolchain; iroh 1.4 needs Rust 1.85 or newer
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cargo >/dev/null || true
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "CI needs cargo: without it the iroh transport is built without its native library and its tests are skipped" >&2
  exit 1
fi
cargo --version
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/alknet/cargo-target}"

log "iroh-relay, the relay server one test runs locally (cargo install of the version our Cargo.lock pins, cached)"
relay_version=$(sed -n '/^name = "iroh-relay"$/{n;s/version = "\(.*\)"/\1/p}' transports/iroh/native/Cargo.lock)
relay_root="$HOME/.cache/alknet/iroh-relay"
if ! "$relay_root/bin/iroh-relay" --version 2>/dev/null | grep -qF "$relay_version"; then
  cargo install "iroh-relay@$relay_version" --features server --locked --root "$relay_root" --quiet
fi
export ALKNET_IROH_RELAY="$relay_root/bin/iroh-relay"
"$ALKNET_IROH_RELAY" --version

log "Pebble, the ACME test server (built from the Go module proxy, cached outside the clone)"
export PATH="$PATH:/usr/local/go/bin"
bash .ci/pebble.sh

log "tun2proxy, the TUN device .ci/tun2proxy.sh routes a namespace through alknet connect -D with (docs/tun.md; cargo install, cached)"
tun2proxy_version=0.8.7
tun2proxy_root="$HOME/.cache/alknet/tun2proxy"
if ! "$tun2proxy_root/bin/tun2proxy-bin" --version 2>/dev/null | grep -qF "$tun2proxy_version"; then
  cargo install "tun2proxy@$tun2proxy_version" --locked --root "$tun2proxy_root" --quiet
fi
export TUN2PROXY="$tun2proxy_root/bin/tun2proxy-bin"
"$TUN2PROXY" --version
