#!/usr/bin/env bash
# JMH micro-benchmarks of the data path (cipher per packet, buffer hand-over). Installs the alknet
# modules into the local Maven repository first, then builds and runs this module.
#
#   bench/jmh/run.sh                   # all benchmarks (about 3 minutes)
#   bench/jmh/run.sh CipherBenchmark   # a JMH include pattern
#   bench/jmh/run.sh 'CipherBenchmark|Poly1305Benchmark' -wi 2 -i 3   # fewer iterations on a busy machine
set -euo pipefail
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
./alknet --version >/dev/null   # finds a JDK 25 and builds the modules
. "$root/bench/java-home.sh"
export JAVA_HOME=$java_home
./mvnw -q -B -DskipTests install -pl netty-support,interfaces/ssh -am >/dev/null
./mvnw -q -B -f bench/jmh/pom.xml package
"$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -cp "bench/jmh/target/alknet-jmh-0.1.0-SNAPSHOT.jar:bench/jmh/target/lib/*" \
  org.openjdk.jmh.Main -rf text -rff bench/jmh/target/results.txt "$@"
