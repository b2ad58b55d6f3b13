#!/usr/bin/env bash
# End-to-end benchmark: OpenSSH (sshd + ssh -L/-D) against alknet (serve + connect -L/-D) on loopback,
# measured in the same run, alternating A/B/A/B; then bench/iroh.sh (iroh through FFM against pure Rust).
# Writes its part of docs/benchmarks.md: everything above the line <!-- run.sh:end -->; what follows that line
# (sections other scripts write, hand-written notes) is kept as it is. BENCH_NOTE="..." adds a sentence to the
# header, e.g. that the machine was busy.
#
#   bench/run.sh                 # full run (about 15 minutes)
#   BENCH_SECONDS=3 BENCH_SCALE_SESSIONS=1000 BENCH_SCALE_STREAMS=1000 bench/run.sh   # a quicker look
set -euo pipefail
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$root"

SECONDS_PER_RUN=${BENCH_SECONDS:-5}
ROUNDS=${BENCH_ROUNDS:-2}
CIPHERS=${BENCH_CIPHERS:-"aes128-gcm aes256-gcm chacha20-poly1305"}
SOCKS_CONNECTS=${BENCH_CONNECTS:-1000}
SOCKS_ROUNDS=${BENCH_SOCKS_ROUNDS:-9}   # single rounds vary by ±15 % on both sides (OpenSSH 0.15-0.27 ms): the median of nine is shown
SOCKS_WARMUP=${BENCH_SOCKS_WARMUP:-30000}   # alknet's p50 settles after 20,000-25,000 connects (JIT); see docs/benchmarks.md
IPERF_WARMUP=${BENCH_WARMUP:-5}
SCALE_SESSIONS=${BENCH_SCALE_SESSIONS:-10000}
SCALE_STREAMS=${BENCH_SCALE_STREAMS:-10000}
FETCHES=${BENCH_FETCHES:-300}   # SOCKS5 fetches (curl) before the "RSS after load" row
FETCH_KB=${BENCH_FETCH_KB:-1024}   # size of each fetched file
IDLE_SECONDS=${BENCH_IDLE_SECONDS:-5}   # a fresh pair rests this long before its idle RSS is read
OUT=${BENCH_OUT:-docs/benchmarks.md}

say() { printf '%s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- tools -------------------------------------------------------------------------------------
missing=()
command -v iperf3 >/dev/null 2>&1 || missing+=(iperf3)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
command -v socat >/dev/null 2>&1 || missing+=(socat)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
as_root mkdir -p /run/sshd
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true   # the scale step holds tens of thousands of sockets
./alknet --version >/dev/null   # builds the command if needed
. "$root/bench/java-home.sh"
JAVA="$java_home/bin/java"
JAR=$(ls "$root"/cli/target/alknet-cli-*.jar | head -n1)
ALKNET=("$root/alknet")   # the launcher, with the JVM options users get (it execs java: $! is the JVM)

work=$(mktemp -d /tmp/alknet-bench.XXXXXX)
pids=()
cleanup() { # ends only what this script started, by PID: never another user's sshd or alknet
  for p in "${pids[@]:-}" ${ssh_pid:-} ${serve_pid:-} ${connect_pid:-}; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
[ -n "${BENCH_KEEP:-}" ] && trap - EXIT

wait_port() { for _ in $(seq 1 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && { exec 3>&-; return 0; }; sleep 0.05; done; say "port $1 never opened"; return 1; }
wait_listen() { for _ in $(seq 1 300); do ss -ltn | grep -q ":$1 " && return 0; sleep 0.05; done; say "nothing listens on $1"; return 1; }
peak_rss_mb() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }

"${ALKNET[@]}" keygen -f "$work/host" >/dev/null
"${ALKNET[@]}" keygen -f "$work/client" >/dev/null
cp "$work/client.pub" "$work/authorized_keys"
fingerprint=$(ssh-keygen -lf "$work/host.pub" | awk '{print $2}')

P_IPERF=25201; P_SSHD=25022; P_ALKNET=25122
P_SSH_L=25301; P_SSH_D=25302; P_ALK_L=25311; P_ALK_D=25312
P_SINK=25401; P_TTFB_L=25411; P_BYTES=25412; P_SCALE_SINK=25421; P_WEB=25431; P_COLD_SINK=25441

iperf3 -s -p $P_IPERF >/dev/null 2>&1 & pids+=($!)
cat > "$work/sshd_config" <<CONF
Port $P_SSHD
ListenAddress 127.0.0.1
HostKey $work/host
AuthorizedKeysFile $work/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile none
AllowTcpForwarding yes
CONF
/usr/sbin/sshd -D -e -f "$work/sshd_config" 2>"$work/sshd.log" & pids+=($!)
echo "[127.0.0.1]:$P_SSHD $(cat "$work/host.pub")" > "$work/known_hosts"
wait_port $P_IPERF; wait_port $P_SSHD

ssh_base=(ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o IdentityAgent=none -o StrictHostKeyChecking=yes
  -o "UserKnownHostsFile=$work/known_hosts" -o GlobalKnownHostsFile=/dev/null -i "$work/client" -p $P_SSHD)

start_openssh() { # cipher
  "${ssh_base[@]}" -c "$1@openssh.com" -N -o ExitOnForwardFailure=yes \
    -L $P_SSH_L:127.0.0.1:$P_IPERF -D $P_SSH_D "$(id -un)@127.0.0.1" 2>"$work/ssh.log" &
  ssh_pid=$!
  wait_listen $P_SSH_L; wait_listen $P_SSH_D
}
stop_openssh() { kill $ssh_pid 2>/dev/null || true; wait $ssh_pid 2>/dev/null || true; }
sshd_session_rss() { # [rss_mb]: the largest of this user's sshd session processes (pgrep only reads; it ends nothing)
  local best=0 p r; for p in $(pgrep -f "sshd:.*$(id -un)" || true); do r=$("${1:-peak_rss_mb}" "$p"); [ "$r" != "?" ] && [ "$r" -gt "$best" ] && best=$r; done; echo "$best"; }

start_alknet() { # cipher
  "${ALKNET[@]}" serve --listen tcp://127.0.0.1:$P_ALKNET --host-key "$work/host" --authorized-keys "$work/authorized_keys" \
    --cipher "$1" -q >"$work/serve.log" 2>&1 &
  serve_pid=$!
  wait_port $P_ALKNET
  "${ALKNET[@]}" connect tcp://127.0.0.1:$P_ALKNET -i "$work/client" --host-key-fingerprint "$fingerprint" --cipher "$1" \
    -L $P_ALK_L:127.0.0.1:$P_IPERF -D 127.0.0.1:$P_ALK_D -q >"$work/connect.log" 2>&1 &
  connect_pid=$!
  wait_listen $P_ALK_L; wait_listen $P_ALK_D
}
stop_alknet() {
  kill $connect_pid $serve_pid 2>/dev/null || true
  wait $connect_pid 2>/dev/null || true; wait $serve_pid 2>/dev/null || true
}

iperf_mbps() { # port [parallel [seconds]]
  local json
  json=$(iperf3 -c 127.0.0.1 -p "$1" -t "${3:-$SECONDS_PER_RUN}" -P "${2:-1}" -J 2>/dev/null) || { echo 0; return; }
  printf '%s' "$json" | "$JAVA" "$root/bench/tools/IperfRate.java"
}

declare -A result
mean() { awk '{s+=$1} END {printf "%.0f", s/NR}'; }
meanf() { awk '{s+=$1} END {printf "%.3f", s/NR}'; }
median() { sort -n | awk '{a[NR]=$1} END {printf "%.3f", NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

for cipher in $CIPHERS; do
  say "== $cipher"
  start_openssh "$cipher"; start_alknet "$cipher"
  # The first transfer after start (what a short download sees): 5 s through a fresh pair, before any warm-up
  result["$cipher|cold|alknet"]=$(iperf_mbps $P_ALK_L 1 5)
  result["$cipher|cold|openssh"]=$(iperf_mbps $P_SSH_L 1 5)
  say "   -L first 5 s after start: openssh ${result["$cipher|cold|openssh"]} MB/s, alknet ${result["$cipher|cold|alknet"]} MB/s"
  # Warm-up: a JVM runs the data path interpreted until the JIT has compiled it (measured: several seconds).
  iperf3 -c 127.0.0.1 -p $P_ALK_L -t "$IPERF_WARMUP" >/dev/null 2>&1 || true
  iperf3 -c 127.0.0.1 -p $P_SSH_L -t 1 >/dev/null 2>&1 || true
  for streams in 1 8; do
    a=(); b=()
    for round in $(seq 1 "$ROUNDS"); do
      a+=("$(iperf_mbps $P_SSH_L $streams)")
      b+=("$(iperf_mbps $P_ALK_L $streams)")
      say "   -L x$streams round $round: openssh ${a[-1]} MB/s, alknet ${b[-1]} MB/s"
    done
    result["$cipher|L$streams|openssh"]=$(printf '%s\n' "${a[@]}" | mean)
    result["$cipher|L$streams|alknet"]=$(printf '%s\n' "${b[@]}" | mean)
  done
  result["$cipher|rss|openssh"]="$(sshd_session_rss) / $(peak_rss_mb $ssh_pid)"
  result["$cipher|rss|alknet"]="$(peak_rss_mb $serve_pid) / $(peak_rss_mb $connect_pid)"
  if [ "$cipher" = "$(echo $CIPHERS | awk '{print $1}')" ]; then
    # SOCKS5 CONNECT latency, A/B/A/B; each proxy first gets SOCKS_WARMUP connects (JIT warm-up), each later
    # round 2,000 (the client's JVM warms). The first 1,000 connects of a fresh pair are measured further down.
    o50=(); o99=(); k50=(); k99=()
    for round in $(seq 1 "$SOCKS_ROUNDS"); do
      warm=2000; [ "$round" = 1 ] && warm=$SOCKS_WARMUP
      o=$("$JAVA" -Dwarmup=$warm "$root/bench/tools/SocksLatency.java" $P_SSH_D $P_SINK "$SOCKS_CONNECTS")
      k=$("$JAVA" -Dwarmup=$warm "$root/bench/tools/SocksLatency.java" $P_ALK_D $((P_SINK + 1)) "$SOCKS_CONNECTS")
      o50+=("$(echo "$o" | awk '{print $1}')"); o99+=("$(echo "$o" | awk '{print $2}')")
      k50+=("$(echo "$k" | awk '{print $1}')"); k99+=("$(echo "$k" | awk '{print $2}')")
      say "   SOCKS5 connect p50/p99 ms round $round: openssh ${o% *}, alknet ${k% *}"
    done
    result["socks|p50|openssh"]=$(printf '%s\n' "${o50[@]}" | median); result["socks|p99|openssh"]=$(printf '%s\n' "${o99[@]}" | median)
    result["socks|p50|alknet"]=$(printf '%s\n' "${k50[@]}" | median); result["socks|p99|alknet"]=$(printf '%s\n' "${k99[@]}" | median)
    result["socks|rounds"]="OpenSSH ${o50[*]}; alknet ${k50[*]}"
  fi
  stop_openssh; stop_alknet
done

say "== over TLS (aes128-gcm inside TLS 1.3): OpenSSH through socat/openssl vs alknet tls://"
P_TLS_SSHD=25023; P_TLS_ALK=25123; P_SSH_TLS_L=25321; P_ALK_TLS_L=25331
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/tls-key.pem" -out "$work/tls-cert.pem" \
  -days 2 -subj /CN=localhost 2>/dev/null
cat "$work/tls-cert.pem" "$work/tls-key.pem" > "$work/tls-both.pem"
tls_pin=$(openssl x509 -in "$work/tls-cert.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
# OpenSSH has no TLS of its own: the usual setup is a TLS terminator in front of sshd and openssl as ProxyCommand
socat "OPENSSL-LISTEN:$P_TLS_SSHD,bind=127.0.0.1,reuseaddr,fork,cert=$work/tls-both.pem,verify=0" "TCP:127.0.0.1:$P_SSHD" \
  2>/dev/null & pids+=($!)
wait_port $P_TLS_SSHD
"${ssh_base[@]}" -c aes128-gcm@openssh.com -N -o ExitOnForwardFailure=yes \
  -o "ProxyCommand=openssl s_client -quiet -verify_quiet -connect 127.0.0.1:$P_TLS_SSHD" \
  -L $P_SSH_TLS_L:127.0.0.1:$P_IPERF "$(id -un)@127.0.0.1" 2>"$work/ssh-tls.log" &
ssh_pid=$!
"${ALKNET[@]}" serve --listen tls://127.0.0.1:$P_TLS_ALK --tls-cert "$work/tls-cert.pem" --tls-key "$work/tls-key.pem" \
  --host-key "$work/host" --authorized-keys "$work/authorized_keys" --cipher aes128-gcm -q >"$work/serve-tls.log" 2>&1 &
serve_pid=$!
wait_port $P_TLS_ALK
"${ALKNET[@]}" connect tls://127.0.0.1:$P_TLS_ALK -i "$work/client" --host-key-fingerprint "$fingerprint" --tls-fingerprint "$tls_pin" \
  --cipher aes128-gcm --no-socks5 -L $P_ALK_TLS_L:127.0.0.1:$P_IPERF -q >"$work/connect-tls.log" 2>&1 &
connect_pid=$!
wait_listen $P_SSH_TLS_L; wait_listen $P_ALK_TLS_L
iperf3 -c 127.0.0.1 -p $P_ALK_TLS_L -t "$IPERF_WARMUP" >/dev/null 2>&1 || true
a=(); b=()
for round in $(seq 1 "$ROUNDS"); do
  a+=("$(iperf_mbps $P_SSH_TLS_L 1)")
  b+=("$(iperf_mbps $P_ALK_TLS_L 1)")
  say "   -L over TLS round $round: openssh+socat ${a[-1]} MB/s, alknet ${b[-1]} MB/s"
done
result["tls|L1|openssh"]=$(printf '%s\n' "${a[@]}" | mean)
result["tls|L1|alknet"]=$(printf '%s\n' "${b[@]}" | mean)
stop_openssh; stop_alknet

say "== time to first byte of a new session"
start_alknet aes128-gcm; kill $connect_pid; wait $connect_pid 2>/dev/null || true
ttfb_o=$("$JAVA" "$root/bench/tools/FirstByte.java" 5 $P_TTFB_L $P_BYTES -- "${ssh_base[@]}" -N -L $P_TTFB_L:127.0.0.1:$P_BYTES "$(id -un)@127.0.0.1")
ttfb_a=$("$JAVA" "$root/bench/tools/FirstByte.java" 5 $P_TTFB_L $((P_BYTES + 1)) -- "${ALKNET[@]}" connect tcp://127.0.0.1:$P_ALKNET \
  -i "$work/client" --host-key-fingerprint "$fingerprint" --no-socks5 -q -L $P_TTFB_L:127.0.0.1:$((P_BYTES + 1)))
kill $serve_pid; wait $serve_pid 2>/dev/null || true
say "   openssh $ttfb_o ms, alknet $ttfb_a ms"

say "== fresh pairs (aes128-gcm): RSS idle, RSS after $FETCHES SOCKS5 fetches, the first 1,000 SOCKS5 connects"
mkdir -p "$work/www"; head -c $((FETCH_KB * 1024)) /dev/urandom > "$work/www/file"
"$java_home/bin/jwebserver" -b 127.0.0.1 -p $P_WEB -d "$work/www" >"$work/jwebserver.log" 2>&1 & pids+=($!)
wait_port $P_WEB
fetches() { # socks_port: FETCHES downloads of the file through the SOCKS5 proxy (the proxy resolves the name)
  local i; for i in $(seq 1 "$FETCHES"); do
    curl -sf -o /dev/null --socks5-hostname "127.0.0.1:$1" "http://127.0.0.1:$P_WEB/file" || { say "   fetch $i through $1 failed"; return 1; }
  done
}
start_openssh aes128-gcm; start_alknet aes128-gcm
sleep "$IDLE_SECONDS"
result["idle|openssh"]="$(sshd_session_rss rss_mb) / $(rss_mb $ssh_pid)"
result["idle|alknet"]="$(rss_mb $serve_pid) / $(rss_mb $connect_pid)"
fetches $P_SSH_D || true; fetches $P_ALK_D || true
sleep "$IDLE_SECONDS"
result["fetched|openssh"]="$(sshd_session_rss rss_mb) / $(rss_mb $ssh_pid)"
result["fetched|alknet"]="$(rss_mb $serve_pid) / $(rss_mb $connect_pid)"
say "   RSS idle: openssh ${result["idle|openssh"]}, alknet ${result["idle|alknet"]}; after $FETCHES fetches: openssh ${result["fetched|openssh"]}, alknet ${result["fetched|alknet"]} MB"
stop_openssh; stop_alknet
start_openssh aes128-gcm; start_alknet aes128-gcm
o=$("$JAVA" -Dwarmup=1000 "$root/bench/tools/SocksLatency.java" $P_SSH_D $P_COLD_SINK 1)
k=$("$JAVA" -Dwarmup=1000 "$root/bench/tools/SocksLatency.java" $P_ALK_D $((P_COLD_SINK + 1)) 1)
result["socks|cold|openssh"]=$(echo "$o" | awk '{print $3}'); result["socks|cold|alknet"]=$(echo "$k" | awk '{print $3}')
say "   first 1,000 SOCKS5 connects p50: openssh ${result["socks|cold|openssh"]} ms, alknet ${result["socks|cold|alknet"]} ms"
stop_openssh; stop_alknet

say "== scale: $SCALE_SESSIONS idle sessions, then $SCALE_STREAMS idle forwarded streams (a fresh server each)"
declare -A scale
for mode in sessions streams; do
  count=$SCALE_SESSIONS; [ $mode = streams ] && count=$SCALE_STREAMS
  "${ALKNET[@]}" serve --listen tcp://127.0.0.1:$P_ALKNET --host-key "$work/host" --authorized-keys "$work/authorized_keys" \
    -q >"$work/serve-scale-$mode.log" 2>&1 &
  serve_pid=$!
  wait_port $P_ALKNET
  while IFS='=' read -r key value; do scale[$key]=$value; done < <(
    "$JAVA" -cp "$JAR:$root/cli/target/lib/*" "$root/bench/tools/Scale.java" $serve_pid $P_ALKNET "$work/client" "$(id -un)" \
      $P_SCALE_SINK $mode "$count" || say "   scale probe ($mode) failed")
  kill $serve_pid; wait $serve_pid 2>/dev/null || true
  say "   $mode: ${scale[$mode]:-?} open, heap ${scale[${mode}_heap_kb_each]:-?} KB and RSS ${scale[${mode}_rss_kb_each]:-?} KB each, new session ${scale[${mode}_new_session_ms]:-?} ms"
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
machine="$(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB, Linux $(uname -r)"
versions="$("$JAVA" -version 2>&1 | head -n1), $(ssh -V 2>&1), iperf3 $(iperf3 --version | head -n1 | awk '{print $2}')"
{
  echo "# Benchmarks"
  echo
  echo "Generated by \`bench/run.sh\` on $(date -u +%Y-%m-%d). Machine: $machine. $versions.${BENCH_NOTE:+ $BENCH_NOTE}"
  echo "Loopback; OpenSSH (\`sshd\` + \`ssh -L/-D\`) and alknet (\`alknet serve\` + \`alknet connect -L/-D\`) run side by side"
  echo "and are measured alternately (A/B/A/B, $ROUNDS rounds, iperf3 ${SECONDS_PER_RUN}s each; the mean is shown)."
  echo "Throughput is MB/s through a local forward to an iperf3 server; higher is better. Latency is lower-is-better."
  echo
  echo "| measurement | cipher | OpenSSH | alknet | alknet / OpenSSH |"
  echo "|---|---|---:|---:|---:|"
  for cipher in $CIPHERS; do
    for streams in 1 8; do
      o=${result["$cipher|L$streams|openssh"]}; a=${result["$cipher|L$streams|alknet"]}
      echo "| -L throughput, $streams stream$([ $streams = 1 ] || echo s) (MB/s) | $cipher | $o | $a | $(ratio "$a" "$o") |"
    done
    o=${result["$cipher|cold|openssh"]}; a=${result["$cipher|cold|alknet"]}
    echo "| -L throughput, the first 5 s after start, 1 stream (MB/s; a fresh pair, no warm-up) | $cipher | $o | $a | $(ratio "$a" "$o") |"
  done
  o=${result["tls|L1|openssh"]}; a=${result["tls|L1|alknet"]}
  echo "| -L throughput over TLS 1.3, 1 stream (MB/s; OpenSSH behind socat + \`openssl s_client\`) | aes128-gcm | $o | $a | $(ratio "$a" "$o") |"
  for q in p50 p99; do
    o=${result["socks|$q|openssh"]}; a=${result["socks|$q|alknet"]}
    echo "| SOCKS5 CONNECT latency $q (ms, $SOCKS_CONNECTS connects; median of $SOCKS_ROUNDS rounds) | $(echo $CIPHERS | awk '{print $1}') | $o | $a | $(ratio "$a" "$o") |"
  done
  o=${result["socks|cold|openssh"]}; a=${result["socks|cold|alknet"]}
  echo "| SOCKS5 CONNECT latency p50 of the first 1,000 connects (ms; a fresh pair, no traffic before) | aes128-gcm | $o | $a | $(ratio "$a" "$o") |"
  echo "| time to first byte of a new session (ms, median of 5, includes process start) | aes128-gcm | $ttfb_o | $ttfb_a | $(ratio "$ttfb_a" "$ttfb_o") |"
  echo "| RSS idle, server / client (MB; a fresh pair after ${IDLE_SECONDS} s) | aes128-gcm | ${result["idle|openssh"]} | ${result["idle|alknet"]} | - |"
  echo "| RSS after $FETCHES SOCKS5 fetches of ${FETCH_KB} KB (curl to \`jwebserver\`), server / client (MB; ${IDLE_SECONDS} s later) | aes128-gcm | ${result["fetched|openssh"]} | ${result["fetched|alknet"]} | - |"
  for cipher in $CIPHERS; do
    echo "| peak RSS server / client (MB; after the -L and SOCKS5 runs) | $cipher | ${result["$cipher|rss|openssh"]} | ${result["$cipher|rss|alknet"]} | - |"
  done
  echo
  echo "SOCKS5 CONNECT p50 of each round (ms, alternating): ${result["socks|rounds"]:-?}."
  echo "OpenSSH's server RSS is its largest \`sshd\` session process; alknet's JVM options are the launcher's (\`./alknet\`)."
  echo
  echo "## Scale: one \`alknet serve\`, idle sessions and idle forwarded streams"
  echo
  echo "\`bench/tools/Scale.java\` (a MINA SSHD client, Ed25519 key) opens ${scale[sessions]:-?} authenticated SSH sessions"
  echo "on one fresh server, then, on another fresh server, ${scale[streams]:-?} forwarded streams: \`direct-tcpip\` channels"
  echo "on 10 sessions, each to a local sink that holds its end open (${scale[streams_at_sink]:-?} arrived there). Heap is the"
  echo "live heap after a full GC (\`jcmd GC.heap_info\`), RSS the server's resident set; \"each\" is the growth over the"
  echo "baseline divided by the count. Sessions and streams run on separate servers because a stream is also a socket"
  echo "from the server to its target, and one process here may hold at most $(ulimit -Hn) descriptors."
  echo "At full load, a newcomer logs in (TCP, key exchange, public-key authentication: the client's own crypto"
  echo "counts too) and opens a channel; the medians of 11 are shown."
  echo
  echo "| load | count | server heap before → after (MB) | server RSS before → after (MB) | heap each (KB) | RSS each (KB) | server threads | new session (ms) | new channel (ms) | all still open |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for mode in sessions streams; do
    echo "| idle $mode | ${scale[$mode]:-?} | ${scale[${mode}_baseline_heap_mb]:-?} → ${scale[${mode}_heap_mb]:-?} | ${scale[${mode}_baseline_rss_mb]:-?} → ${scale[${mode}_rss_mb]:-?} | ${scale[${mode}_heap_kb_each]:-?} | ${scale[${mode}_rss_kb_each]:-?} | ${scale[${mode}_server_threads]:-?} | ${scale[${mode}_new_session_ms]:-?} | ${scale[${mode}_new_channel_ms]:-?} | ${scale[${mode}_all_still_open]:-?} |"
  done
  echo
  echo "Opening took ${scale[sessions_open_s]:-?} s for the sessions and ${scale[streams_open_s]:-?} s for the streams (32 at a time)."
  echo
  if [ -f docs/benchmarks-notes.md ]; then cat docs/benchmarks-notes.md; fi
} > "$work/run-part.md"
# Only this script's part is replaced: what follows the marker stays (bench/netem.sh's and bench/iroh.sh's
# sections, hand-written ones)
marker='<!-- run.sh:end -->'
{
  cat "$work/run-part.md"
  echo "$marker"
  if [ -f "$OUT" ]; then awk -v m="$marker" 'kept { print } $0 == m { kept = 1 }' "$OUT"; fi
} > "$work/out.md"
cp "$work/out.md" "$OUT"
# the iroh section (FFM layer against pure-Rust peers) comes from bench/iroh.sh, which fills its part of $OUT
if [ -x "$root/transports/iroh/target/native-bin/alknet-iroh-bench" ]; then
  BENCH_OUT="$OUT" bash "$root/bench/iroh.sh" || say "   iroh benchmark failed"
else
  say "   iroh benchmark skipped: the iroh native library was not built (no cargo)"
fi
cat "$OUT"
