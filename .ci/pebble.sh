#!/usr/bin/env bash
# Builds Pebble (Let's Encrypt's ACME test server) from the Go module proxy into a cache outside the
# clone, for the ACME tests: $ALKNET_PEBBLE_HOME/bin/pebble, its HTTPS certificate and the CA that signed it in certs/.
set -euo pipefail
home="${ALKNET_PEBBLE_HOME:-$HOME/.cache/alknet/pebble}"
version="${PEBBLE_VERSION:-v2.10.3}"
if [ -x "$home/bin/pebble" ] && [ -f "$home/certs/minica.pem" ] && [ "$(cat "$home/version" 2>/dev/null)" = "$version" ]; then
  echo "pebble $version already built in $home"
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "pebble: Go is needed to build it (apt-get install golang, or see go.dev/dl)" >&2; exit 1; }
mkdir -p "$home/bin" "$home/certs"
export GOPATH="$home/gopath" GOBIN="$home/bin" GOFLAGS=-mod=mod
go install "github.com/letsencrypt/pebble/v2/cmd/pebble@$version"
cp "$GOPATH/pkg/mod/github.com/letsencrypt/pebble/v2@$version/test/certs/localhost/cert.pem" "$home/certs/cert.pem"
cp "$GOPATH/pkg/mod/github.com/letsencrypt/pebble/v2@$version/test/certs/localhost/key.pem" "$home/certs/key.pem"
cp "$GOPATH/pkg/mod/github.com/letsencrypt/pebble/v2@$version/test/certs/pebble.minica.pem" "$home/certs/minica.pem"
chmod -R u+w "$GOPATH" 2>/dev/null || true
echo "$version" > "$home/version"
echo "pebble $version built in $home"
