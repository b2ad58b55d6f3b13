#!/usr/bin/env bash
# Builds libalknet_iroh.so with cargo and copies it to $1 (the jar's native/linux-x86_64/), and the pure-Rust peer
# alknet-iroh-bench (tests kill it mid-transfer; bench/iroh.sh measures against it) to $2 when given. Maven runs this in
# generate-resources. Without cargo (or on another platform) it says so in one line and exits 0: the rest of
# alknet builds, and the iroh transport reports itself unavailable at run time.
# CARGO_TARGET_DIR (default: transports/iroh/target/cargo) is where cargo keeps its build; CI points it at a cache.
set -euo pipefail
out=${1:?usage: build.sh LIBRARY_DIR [BINARY_DIR]}
bin_out=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${ALKNET_SKIP_NATIVE:-}" ]; then
  echo "[alknet] ALKNET_SKIP_NATIVE is set: building the iroh transport without its native library (it will report itself unavailable)"
  exit 0
fi
if [ "$(uname -sm)" != "Linux x86_64" ]; then
  echo "[alknet] the iroh native library is built for Linux x86_64 only, not $(uname -sm): the iroh transport will report itself unavailable"
  exit 0
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "[alknet] cargo not found: building the iroh transport without its native library (it will report itself unavailable); install Rust from https://rustup.rs and rebuild to include it"
  exit 0
fi
target=${CARGO_TARGET_DIR:-$here/../target/cargo}
CARGO_TARGET_DIR=$target cargo build --release --locked --lib --bins --quiet --manifest-path "$here/Cargo.toml"
mkdir -p "$out"
cp "$target/release/libalknet_iroh.so" "$out/libalknet_iroh.so"
if [ -n "$bin_out" ]; then
  mkdir -p "$bin_out"
  cp "$target/release/alknet-iroh-bench" "$bin_out/alknet-iroh-bench"
fi
