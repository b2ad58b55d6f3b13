#!/usr/bin/env bash
# Builds the self-contained package alknet-VERSION-linux-x64.tar.gz (./mvnw -Pdist package, from cli/pom.xml):
# a jlink Java runtime holding only the JDK modules alknet's jars use, the jars (the plugins and the iroh native
# library inside its transport jar), bin/alknet, the --help text of every command, the systemd unit, the sysusers
# file and the fail2ban filter and jail. Nothing outside the package is needed to run it: no JDK, no Maven.
#   build.sh VERSION TARGET_DIR REPO_ROOT
set -euo pipefail
version=$1 target=$2 repo=$3
java_home=${JAVA_HOME:?JAVA_HOME must point at JDK 25}
name="alknet-$version-linux-x64"
stage="$target/dist/$name"
rm -rf "$target/dist"
mkdir -p "$stage/bin" "$stage/lib" "$stage/share/doc/alknet/help" "$stage/share/systemd" "$stage/share/sysusers.d" \
         "$stage/share/fail2ban"

cp "$target"/alknet-cli-"$version".jar "$stage/lib/alknet-cli.jar"
cp "$target"/lib/*.jar "$stage/lib/"

# The JDK modules the jars' classes use. jdeps reads them as one directory of classes without module
# descriptors: a modular jar that requires a plain one (acme4j requires org.jose4j) would otherwise stop it.
classes=$(mktemp -d)
for jar in "$stage"/lib/*.jar; do
  unzip -qo "$jar" -d "$classes"
done
rm -rf "$classes/META-INF"
find "$classes" -name module-info.class -delete
scanned=$("$java_home/bin/jdeps" --ignore-missing-deps --print-module-deps "$classes" | tail -n 1)
rm -rf "$classes"
# jdk.crypto.cryptoki and jdk.charsets are loaded by name at run time (no class refers to them); jdk.zipfs
# reads jars as file systems; jdk.management backs the JVM's own metrics.
modules=$(echo "$scanned,jdk.charsets,jdk.zipfs,jdk.management,jdk.crypto.cryptoki,jdk.naming.dns" \
  | tr ',' '\n' | grep -E '^(java|jdk)\.' | sort -u | paste -sd, -)
echo "dist: jlink --add-modules $modules"
"$java_home/bin/jlink" --add-modules "$modules" --output "$stage/runtime" --strip-debug --no-man-pages \
  --no-header-files --compress=zip-6

install -m 0755 "$repo/cli/src/dist/alknet" "$stage/bin/alknet"
install -m 0644 "$repo/cli/src/dist/alknet.service" "$stage/share/systemd/alknet.service"
install -m 0644 "$repo/cli/src/dist/alknet.sysusers" "$stage/share/sysusers.d/alknet.conf"
cp -r "$repo/docs/fail2ban/filter.d" "$repo/docs/fail2ban/jail.d" "$stage/share/fail2ban/"
cp "$repo/README.md" "$stage/share/doc/alknet/"
mkdir -p "$stage/share/doc/alknet/docs" && cp -r "$repo/docs/." "$stage/share/doc/alknet/docs/"

# Train the start-up cache (JDK 25 AOT cache) on the data path (AotTraining: bulk -L per cipher, SOCKS5
# connects; about 20 s), with the packaged runtime, as ./alknet does.
aot_home=$(mktemp -d)
if HOME="$aot_home" "$stage/runtime/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -XX:AOTCacheOutput="$stage/lib/alknet.aot" -Xlog:aot=off -Xlog:cds=off -cp "$stage/lib/*" io.alknet.cli.Main demo --train \
    >"$aot_home/training.log" 2>&1; then
  rm -f "$stage/lib/alknet.aot.config"
else
  echo "dist: no start-up cache (the training run failed; the package works without it):" >&2
  tail -n 5 "$aot_home/training.log" >&2
  rm -f "$stage/lib/alknet.aot" "$stage/lib/alknet.aot.config"
fi
rm -rf "$aot_home"

# The help of every command, as the packaged runtime prints it (it also proves that runtime starts the jar).
run() { HOME="$target/dist" COLUMNS=100 "$stage/bin/alknet" "$@"; }
run --help > "$stage/share/doc/alknet/help/alknet.txt"
for command in $(sed -n '/^Commands:/,/^$/{s/^  \([a-z][a-z0-9-]*\) .*/\1/p}' "$stage/share/doc/alknet/help/alknet.txt"); do
  run "$command" --help > "$stage/share/doc/alknet/help/alknet-$command.txt"
done

tar -C "$target/dist" -czf "$target/$name.tar.gz" "$name"
echo "dist: $target/$name.tar.gz ($(du -h "$target/$name.tar.gz" | cut -f1))"
