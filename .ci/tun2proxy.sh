#!/usr/bin/env bash
# docs/tun.md, run for real: every TCP connection and DNS query of a network namespace goes through a TUN device
# (tun2proxy) into `alknet connect -D`, over SSH to `alknet serve` in a second namespace, and out from there.
# Only the two namespaces this script creates carry traffic (a veth pair with TEST-NET addresses, 192.0.2.0/24,
# and a web server on 198.51.100.7, TEST-NET-2, inside the server's namespace); nothing reaches the host's networks.
#   .ci/tun2proxy.sh   (root; needs ip, curl, python3, tun2proxy-bin: .ci/prepare.sh builds it; ./alknet)
set -euo pipefail
cd "$(dirname "$0")/.."
tun2proxy=${TUN2PROXY:-$HOME/.cache/alknet/tun2proxy/bin/tun2proxy-bin}
[ -x "$tun2proxy" ] || { echo "tun2proxy.sh: $tun2proxy missing (.ci/prepare.sh builds it)" >&2; exit 1; }
[ -c /dev/net/tun ] || { echo "tun2proxy.sh: no /dev/net/tun on this machine" >&2; exit 1; }

id=$$
client=alknet-tun-c$id server=alknet-tun-s$id
work=$(mktemp -d)
pids=()
cleanup() {
  # every process still in either namespace, whatever started it (a namespace outlives its deletion while
  # processes run in it)
  for ns in "$client" "$server"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  ip netns del "$client" 2>/dev/null || true
  ip netns del "$server" 2>/dev/null || true
  rm -rf "/etc/netns/$client" "/etc/netns/$server" "$work"
}
trap cleanup EXIT
in_client() { ip netns exec "$client" "$@"; }
in_server() { ip netns exec "$server" "$@"; }

ip netns add "$client"
ip netns add "$server"
ip link add "veth-c$id" netns "$client" type veth peer name "veth-s$id" netns "$server"
in_client ip link set lo up
in_server ip link set lo up
in_client ip addr add 192.0.2.1/24 dev "veth-c$id"
in_server ip addr add 192.0.2.2/24 dev "veth-s$id"
in_client ip link set "veth-c$id" up
in_server ip link set "veth-s$id" up
in_server ip addr add 198.51.100.7/32 dev lo
# names: the client's namespace asks tun2proxy's virtual DNS (its queries never leave as UDP); the server
# resolves the name the SOCKS request carries from its own hosts file
mkdir -p "/etc/netns/$client" "/etc/netns/$server"
echo "nameserver 198.18.0.1" > "/etc/netns/$client/resolv.conf"
printf '127.0.0.1 localhost\n198.51.100.7 web.alknet.test\n' > "/etc/netns/$server/hosts"

# the web server and alknet serve, in the server's namespace
mkdir -p "$work/www" "$work/keys"
head -c 20000000 /dev/urandom > "$work/www/blob"
ip netns exec "$server" python3 -m http.server 8080 --bind 198.51.100.7 --directory "$work/www" >"$work/web.log" 2>&1 &
pids+=($!)
./alknet keygen -f "$work/keys/client" >/dev/null
./alknet keygen -f "$work/keys/host" >/dev/null
host_fp=$(ssh-keygen -lf "$work/keys/host.pub" | cut -d' ' -f2)
ip netns exec "$server" ./alknet serve --listen tcp://192.0.2.2:2222 --host-key "$work/keys/host" \
  --authorized-keys "$work/keys/client.pub" --state-dir "$work/server-state" >"$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do grep -q "listening on tcp://192.0.2.2:2222" "$work/serve.log" && break; sleep 0.2; done

# alknet connect -D and tun2proxy in the client's namespace; everything but the SSH server goes into tun0
ip netns exec "$client" ./alknet connect tcp://192.0.2.2:2222 -i "$work/keys/client" --host-key-fingerprint "$host_fp" \
  -D 127.0.0.1:1080 --state-dir "$work/client-state" >"$work/connect.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do grep -q "ready: -D" "$work/connect.log" && break; sleep 0.2; done
grep -q "ready: -D" "$work/connect.log" || { cat "$work/serve.log" "$work/connect.log" >&2; exit 1; }
in_client ip tuntap add name tun0 mode tun
in_client ip link set tun0 up
in_client ip route add 0.0.0.0/1 dev tun0
in_client ip route add 128.0.0.0/1 dev tun0
ip netns exec "$client" "$tun2proxy" --tun tun0 --proxy socks5://127.0.0.1:1080 --dns virtual >"$work/tun2proxy.log" 2>&1 &
pids+=($!)
sleep 1

# an application that knows nothing of proxies: plain curl by name, through the TUN device
got=$(in_client curl -sS --fail --max-time 60 http://web.alknet.test:8080/blob | sha256sum | cut -d' ' -f1)
want=$(sha256sum "$work/www/blob" | cut -d' ' -f1)
if [ "$got" != "$want" ]; then
  echo "tun2proxy.sh: FAILED: the 20 MB file arrived with sha256 $got, not $want" >&2
  tail -n 20 "$work/tun2proxy.log" "$work/connect.log" "$work/serve.log" >&2
  exit 1
fi
# the client's namespace has no route to the web server except the TUN device: prove curl could not go around it
if ! in_client ip route get 198.51.100.7 | head -n 1 | grep -q " dev tun0 "; then
  echo "tun2proxy.sh: FAILED: 198.51.100.7 is reachable from the client's namespace without tun0" >&2; exit 1
fi
echo "tun2proxy.sh: 20 MB fetched by name through tun0 -> tun2proxy -> alknet connect -D -> alknet serve, sha256 intact"
