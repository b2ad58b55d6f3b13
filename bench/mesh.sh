#!/usr/bin/env bash
# Routed calls per second through one head (issue 24): integration-tests MeshBenchmark starts a head, a worker w1 and
# a client in one JVM on loopback, and keeps MESH_CONCURRENCY calls to /w1/echo in flight for MESH_SECONDS after
# MESH_WARMUP seconds of warm-up; prints calls/s and latency p50/p99. Head, worker and client share the JVM and the
# cores, so the figure is a floor for a head on its own machine.
#
#   bench/mesh.sh                                   # 20 s at 32 calls in flight
#   MESH_SECONDS=3 MESH_WARMUP=2 bench/mesh.sh      # a smoke run
set -euo pipefail
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$root"
. bench/java-home.sh
export JAVA_HOME=$java_home
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/alknet/cargo-target}

./mvnw -B -q -pl integration-tests -am verify -DskipITs -Dtest=MeshBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dalknet.mesh.seconds="${MESH_SECONDS:-20}" -Dalknet.mesh.warmup="${MESH_WARMUP:-5}" \
  -Dalknet.mesh.concurrency="${MESH_CONCURRENCY:-32}" || status=$?
grep -h "mesh routed calls" integration-tests/target/surefire-reports/io.alknet.integration.MeshBenchmark-output.txt || true
exit "${status:-0}"
