#!/usr/bin/env bash
# Throughput over a long path (issue 26, "windows sized to the path"): OpenSSH (sshd + ssh -L) against alknet
# (serve + connect -L), one stream each, through two network namespaces this script creates, joined by a veth pair
# with `tc netem` delaying each direction by RTT/2. A fixed SSH channel window caps a stream at window/RTT, whatever
# the CPU: this measures the windows, and a busy machine changes it little. Writes its table into
# docs/benchmarks.md (between the netem markers). Root; needs ip, tc, iperf3, sshd (bench/run.sh's packages).
# A kernel without sch_netem (a Firecracker VM, as the CI machine): the delay comes from testkit/src/main/java/io/alknet/testkit/DelayedPath.java
# on loopback instead, which delays the SSH connections end to end (the SSH windows see the RTT) but not TCP's own
# windows; the table says which was used.
#   bench/netem.sh [RTT_MS=50] [SECONDS=15]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
rtt=${1:-50} seconds=${2:-15}
say() { printf '%s\n' "$*" >&2; }
./alknet --version >/dev/null   # builds the command if needed

id=$$
client=alknet-netem-c$id server=alknet-netem-s$id
work=$(mktemp -d /tmp/alknet-netem.XXXXXX)
relays=()
cleanup() { # ends what it started: what runs in its namespaces, its relays, then the namespaces
  for ns in "$client" "$server"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true; done
  for pid in "${relays[@]}" ${started:-}; do kill "$pid" 2>/dev/null || true; done
  sleep 0.5
  ip netns del "$client" 2>/dev/null || true
  ip netns del "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
half=$((rtt / 2))

ip netns add "$client"; ip netns add "$server"
ip link add "nc$id" netns "$client" type veth peer name "ns$id" netns "$server"
ip -n "$client" link set lo up; ip -n "$server" link set lo up
ip -n "$client" addr add 192.0.2.1/24 dev "nc$id"; ip -n "$server" addr add 192.0.2.2/24 dev "ns$id"
ip -n "$client" link set "nc$id" up; ip -n "$server" link set "ns$id" up
# a deep queue so netem itself does not drop at these rates
if ip netns exec "$client" tc qdisc add dev "nc$id" root netem delay "${half}ms" limit 100000 2>/dev/null; then
  ip netns exec "$server" tc qdisc add dev "ns$id" root netem delay "${half}ms" limit 100000
  mode="tc netem in two network namespaces joined by a veth pair"
  in_client=(ip netns exec "$client"); in_server=(ip netns exec "$server")
  addr=192.0.2.2; p_sshd=22022; p_alknet=22122; p_iperf_direct=5202
  measured_rtt=$(ip netns exec "$client" ping -c 3 -q 192.0.2.2 | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p')
else
  say "this kernel has no sch_netem: the delay comes from testkit/src/main/java/io/alknet/testkit/DelayedPath.java on loopback"
  ip netns del "$client"; ip netns del "$server"
  mode="no sch_netem in this kernel: testkit/src/main/java/io/alknet/testkit/DelayedPath.java on loopback, delaying each direction of the SSH connections"
  in_client=(); in_server=()
  . "$root/bench/java-home.sh"
  addr=127.0.0.1; p_sshd=25023; p_alknet=25123; p_iperf_direct=25203
  for pair in "25023 22022" "25123 22122" "25203 5202"; do
    set -- $pair
    "$java_home/bin/java" "$root/testkit/src/main/java/io/alknet/testkit/DelayedPath.java" "$1" "$2" "$half" >/dev/null 2>&1 & relays+=($!)
  done
  measured_rtt="$rtt (relay)"
fi
say "RTT: ${measured_rtt} ms ($mode)"
listen_addr=$([ ${#in_server[@]} -gt 0 ] && echo 192.0.2.2 || echo 127.0.0.1)

./alknet keygen -f "$work/host" >/dev/null; ./alknet keygen -f "$work/client" >/dev/null
cp "$work/client.pub" "$work/authorized_keys"
fingerprint=$(ssh-keygen -lf "$work/host.pub" | awk '{print $2}')
cat > "$work/sshd_config" <<CONF
Port 22022
ListenAddress $listen_addr
HostKey $work/host
AuthorizedKeysFile $work/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile none
AllowTcpForwarding yes
PermitRootLogin prohibit-password
CONF
echo "[$addr]:$p_sshd $(cat "$work/host.pub")" > "$work/known_hosts"
started=""
"${in_server[@]}" iperf3 -s -B 127.0.0.1 -p 5201 >/dev/null 2>&1 & started="$started $!"
"${in_server[@]}" iperf3 -s -B "$listen_addr" -p 5202 >/dev/null 2>&1 & started="$started $!"
"${in_server[@]}" /usr/sbin/sshd -D -e -f "$work/sshd_config" 2>"$work/sshd.log" & started="$started $!"
"${in_server[@]}" ./alknet serve --listen "tcp://$listen_addr:22122" --host-key "$work/host" \
  --authorized-keys "$work/authorized_keys" -q >"$work/serve.log" 2>&1 & started="$started $!"
sleep 3
"${in_client[@]}" ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o IdentityAgent=none \
  -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$work/known_hosts" -o GlobalKnownHostsFile=/dev/null \
  -i "$work/client" -p "$p_sshd" -c aes128-gcm@openssh.com -N -o ExitOnForwardFailure=yes \
  -L 127.0.0.1:25301:127.0.0.1:5201 "$(id -un)@$addr" 2>"$work/ssh.log" & started="$started $!"
"${in_client[@]}" ./alknet connect "tcp://$addr:$p_alknet" -i "$work/client" --host-key-fingerprint "$fingerprint" \
  --cipher aes128-gcm --no-socks5 -L 127.0.0.1:25311:127.0.0.1:5201 -q >"$work/connect.log" 2>&1 & started="$started $!"
for port in 25301 25311; do
  for _ in $(seq 1 300); do "${in_client[@]}" ss -ltn | grep -q ":$port " && break; sleep 0.1; done
done

mbps() { # host port [-R] -> MB/s (received), one stream; -R: the server side sends (a download through the tunnel)
  local json
  json=$("${in_client[@]}" iperf3 -c "$1" -p "$2" ${3:-} -t "$seconds" -O 3 -J 2>/dev/null) || { echo 0; return; }
  printf '%s' "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(round(d["end"]["sum_received"]["bits_per_second"]/8e6))'
}
direct=$(mbps "$addr" "$p_iperf_direct"); say "plain TCP (no SSH): $direct MB/s"
openssh=$(mbps 127.0.0.1 25301); say "OpenSSH -L: $openssh MB/s"
alknet=$(mbps 127.0.0.1 25311); say "alknet -L: $alknet MB/s"
openssh_down=$(mbps 127.0.0.1 25301 -R); say "OpenSSH -L, download: $openssh_down MB/s"
alknet_down=$(mbps 127.0.0.1 25311 -R); say "alknet -L, download: $alknet_down MB/s"
ratio=$(python3 -c "print(f'{$alknet/$openssh:.2f}x' if $openssh else '-')")
ratio_down=$(python3 -c "print(f'{$alknet_down/$openssh_down:.2f}x' if $openssh_down else '-')")

table=$(cat <<TABLE
<!-- netem:begin (bench/netem.sh writes this section) -->
## A long path: 1 stream at ${rtt} ms RTT (issue 26)

\`bench/netem.sh $rtt $seconds\`, $(date -u +%Y-%m-%d): each direction delayed by $half ms ($mode; RTT ${measured_rtt} ms),
iperf3 for ${seconds} s after 3 s omitted, aes128-gcm, one stream. A fixed channel window caps a stream at window/RTT
whatever the CPU; alknet's receive windows grow to cover the path (docs/windows.md). Upload: the client side sends
(the server's windows grow); download: iperf3 -R, the server side sends (the client's windows grow).

| path | upload MB/s | download MB/s |
|---|---:|---:|
| plain TCP, no SSH$([ ${#in_client[@]} -gt 0 ] || echo " (through the relay: TCP's windows see loopback, not the delay)") | $direct | - |
| OpenSSH \`ssh -L\` | $openssh | $openssh_down |
| alknet \`connect -L\` | $alknet ($ratio OpenSSH) | $alknet_down ($ratio_down OpenSSH) |
<!-- netem:end -->
TABLE
)
python3 - "$root/docs/benchmarks.md" "$table" <<'PY'
import re, sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
if "<!-- netem:begin" in text:
    text = re.sub(r"<!-- netem:begin.*?<!-- netem:end -->", lambda m: table, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + table + "\n"
open(path, "w").write(text)
PY
say "docs/benchmarks.md updated"
