#!/usr/bin/env bash
# Soak of issue 19's data-integrity rule: integration-tests SlowPeersTest scaled up. Every case (slow reader and slow
# target, -L/-R/SOCKS5 over tcp, tls and iroh, and through OpenSSH's sshd) moves SLOW_REPEAT bodies of
# SLOW_BYTES to a peer that takes SLOW_RATE bytes per second, SLOW_PARALLEL at a time, compares SHA-256 and
# checks for sockets left in CLOSE-WAIT. Prints one line per case ("N of N transfers ... intact").
#
#   bench/slow-peers.sh                                     # 50 x 20 MiB at 1 MiB/s per case (about 25 minutes)
#   SLOW_REPEAT=5 SLOW_BYTES=8388608 bench/slow-peers.sh    # a quicker look
#   SLOW_TESTS='SlowPeersTest#download*+upload*' bench/slow-peers.sh   # some cases only (a surefire -Dtest pattern)
set -euo pipefail
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$root"
. bench/java-home.sh
export JAVA_HOME=$java_home

SLOW_BYTES=${SLOW_BYTES:-20971520}
SLOW_RATE=${SLOW_RATE:-1048576}
SLOW_REPEAT=${SLOW_REPEAT:-50}
SLOW_PARALLEL=${SLOW_PARALLEL:-25}
SLOW_TESTS=${SLOW_TESTS:-SlowPeersTest}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/alknet/cargo-target}

start=$(date +%s)
./mvnw -B -q -pl integration-tests -am verify -Dtest="$SLOW_TESTS" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dalknet.slow.bytes="$SLOW_BYTES" -Dalknet.slow.rate="$SLOW_RATE" \
  -Dalknet.slow.repeat="$SLOW_REPEAT" -Dalknet.slow.parallel="$SLOW_PARALLEL" \
  -Dsurefire.timeout=0 || status=$?
grep -h "transfers of" integration-tests/target/surefire-reports/io.alknet.integration.SlowPeersTest-output.txt || true
grep -ho 'tests="[0-9]*" errors="[0-9]*" skipped="[0-9]*" failures="[0-9]*"' \
  integration-tests/target/surefire-reports/TEST-io.alknet.integration.SlowPeersTest.xml || true
echo "slow-peers soak: ${SLOW_REPEAT} x ${SLOW_BYTES} bytes at ${SLOW_RATE} B/s per case, $(( $(date +%s) - start ))s, exit ${status:-0}"
exit "${status:-0}"
