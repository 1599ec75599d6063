#!/bin/bash
# Throughput and latency of a real paxosdns node against NSD on the same zone, same core.
#
#   bench/dns-qps.sh [NAMES] [SECONDS] [ROUNDS]   (defaults: 100000, 20 s, 3)
#
# Generates a zone of NAMES hosts (A, AAAA, TXT each) plus CNAMEs, a wildcard and delegations,
# and a query mix (hits 60%, NXDOMAIN 15%, wildcard 10%, CNAME 10%, referral 5%). Runs a
# 1-node paxosdns cluster (`cluster init --nodes 1`, `serve` with `dns.udp-sockets = 1`, the
# zone published with `publish`) and NSD (server-count 1, no RRL) in turn, both pinned with
# taskset to CPU 0, with dnsperf pinned to CPU 1, and measures them in alternation (ROUNDS
# rounds) so that load from other processes hits both alike. Prints per round qps, lost
# queries and server CPU microseconds per query (user+system time of the server processes:
# the whole JVM for paxosdns, GC, JIT and consensus threads included), the medians and ratios,
# then latency (average, max, stddev; medians of ROUNDS alternating runs) for both at a fixed
# rate of half NSD's median (after one unmeasured run of the node at that rate, so the JIT has
# compiled its event loop for it) with the node's young GC pauses in that time, then latency
# percentiles at that rate from `bench dns-latency` (our open-loop client, ROUNDS alternating
# runs), and both servers' RSS.
# PAXOSDNS_JAVA_OPTS overrides the node's JVM options (default $dns_java_opts of bench/cluster-lib.sh:
# -Xms1g -Xmx1g -Xmn256m -XX:MaxTenuringThreshold=2 -XX:+UseTransparentHugePages
# -Dio.netty.leakDetection.level=disabled).
# Installs dnsperf and nsd with apt-get when missing. Not run by `mvn verify`.
set -euo pipefail
names=${1:-100000}
seconds=${2:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/dns-bench.XXXXXX)
rounds=${3:-3}
. "$root/bench/cluster-lib.sh"
base=$((20000 + RANDOM % 20000))
port=$base
nsd_port=$((base + 90))
need dnsperf dnsperf
need nsd nsd
need dig dnsutils

echo "== generating zone of $names names in $work"
gen_zone "$names" 1 "$work/bench.zone"
gen_queries "$names" 200000 "$work/queries.txt"

cpu_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}'))); done; echo "$t"; }
# run LABEL PORT "PIDS" EXTRA-ARGS... : one dnsperf run on CPU 1; sets $qps and $us
run() {
  local label=$1 p=$2 pids=$3; shift 3
  local t0; t0=$(cpu_ticks $pids)
  taskset -c 1 dnsperf -s 127.0.0.1 -p "$p" -d "$work/queries.txt" -l "$seconds" -c 8 -q 200 "$@" > "$work/perf.out" 2>&1 || true
  local t1; t1=$(cpu_ticks $pids)
  local done_q; done_q=$(awk '/Queries completed/ {print $3}' "$work/perf.out")
  qps=$(awk '/Queries per second/ {printf "%d", $4}' "$work/perf.out")
  us=$(awk -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" -v n="$done_q" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')
  local lost; lost=$(awk '/Queries lost/ {print $3, $4}' "$work/perf.out")
  lat_avg=$(awk '/Average Latency/ {printf "%.3f", $4*1000}' "$work/perf.out")
  lat_max=$(awk '/Average Latency/ {gsub(/[)]/, "", $8); printf "%.3f", $8*1000}' "$work/perf.out")
  lat_sd=$(awk '/Latency StdDev/ {printf "%.3f", $4*1000}' "$work/perf.out")
  local lat="avg $lat_avg ms, max $lat_max ms, stddev $lat_sd ms"
  printf '  %-22s qps %7d  lost %-12s cpu %6s us/query  latency %s\n' "$label" "$qps" "$lost" "$us" "$lat"
}
median() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# gc_stats: the node's young GC count and seconds (jstat); gc_delta BEFORE AFTER: what happened between
gc_stats() { jstat -gc "$pax_pid" | awk 'NR==1 {for (i=1;i<=NF;i++) h[i]=$i} NR==2 {for (i=1;i<=NF;i++) {if (h[i]=="YGC") c=$i; if (h[i]=="YGCT") t=$i}; print c, t}'; }
gc_delta() { awk -v a="$1" -v b="$2" 'BEGIN {split(a,x," "); split(b,y," "); printf "%d, %.0f ms in all", y[1]-x[1], (y[2]-x[2])*1000}'; }
wait_port() { # wait_port PORT PID
  for _ in $(seq 1 600); do
    kill -0 "$2" 2>/dev/null || { echo "server died"; exit 1; }
    dig +short +time=1 +tries=1 -p "$1" @127.0.0.1 ns1.bench.test A >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}

echo "== starting a 1-node paxosdns cluster (DNS port $port) and NSD (port $nsd_port), both on CPU 0"
build_jar
cluster_init 1 "$base"
node_setting 0 "dns.udp-sockets = 1"
PAXOSDNS_JAVA_OPTS=${PAXOSDNS_JAVA_OPTS:-$dns_java_opts} serve 0 0
pax_pid=$node_pid
wait_healthy 1
start=$(date +%s%N)
publish "$work/bench.zone" | sed 's/^/  /'
wait_serial "$port" 1 600
echo "  paxosdns: zone of $(wc -l < "$work/bench.zone") lines published, verified, loaded and answering" \
     "$(( ($(date +%s%N) - start) / 1000000 )) ms after publish started; rss $(ps -o rss= -p "$pax_pid" | tr -d ' ') kB"
nsd_conf "$nsd_port" $'  rrl-ratelimit: 0\n  verbosity: 0' '  zonefile: bench.zone'
taskset -c 0 nsd -d -c "$work/nsd.conf" > "$work/nsd.log" 2>&1 &
nsd_main=$!; pids+=("$nsd_main")
wait_port "$nsd_port" "$nsd_main"
sleep 1  # NSD forks its xfrd and server processes after it starts answering
nsd_pids=$(pgrep -f "nsd -d -c $work/nsd.conf" | tr '\n' ' ')
nsd_rss=$(for p in $nsd_pids; do ps -o rss= -p "$p"; done | awk '{s+=$1} END {print s}')
echo "  nsd: rss ${nsd_rss} kB (sum over its $(echo $nsd_pids | wc -w) processes, shared pages counted in each)"
echo "== JIT warm-up of paxosdns ($seconds s)"
run warm-up "$port" "$pax_pid" > /dev/null
echo "== $rounds alternating rounds, $seconds s each, unlimited rate"
pax_q=""; nsd_q=""; pax_u=""; nsd_u=""
for r in $(seq 1 "$rounds"); do
  run "paxosdns round $r" "$port" "$pax_pid"; pax_q="$pax_q $qps"; pax_u="$pax_u $us"
  run "nsd round $r" "$nsd_port" "$nsd_pids"; nsd_q="$nsd_q $qps"; nsd_u="$nsd_u $us"
done
pq=$(echo $pax_q | median); nq=$(echo $nsd_q | median); pu=$(echo $pax_u | median); nu=$(echo $nsd_u | median)
rate=$((nq / 2))
# The node's event loop runs differently at a fixed rate (small read batches, more epoll wake-ups):
# in the first fixed-rate minute its loop was compiled again by C2 (an OSR of EpollEventLoop.run,
# on the one core the node has), which made the 30-75 ms maxima of the first measured rounds.
echo "== JIT warm-up of paxosdns at ${rate} qps ($seconds s)"
run "paxosdns warm-up @${rate}" "$port" "$pax_pid" -Q "$rate"
echo "== latency at a fixed ${rate} qps, $rounds alternating rounds (one run each says little on a shared machine)"
pax_a=""; nsd_a=""; pax_m=""; nsd_m=""; pax_s=""; nsd_s=""
gc0=$(gc_stats)
for r in $(seq 1 "$rounds"); do
  run "paxosdns @${rate} r$r" "$port" "$pax_pid" -Q "$rate"; pax_a="$pax_a $lat_avg"; pax_m="$pax_m $lat_max"; pax_s="$pax_s $lat_sd"
  run "nsd @${rate} r$r" "$nsd_port" "$nsd_pids" -Q "$rate"; nsd_a="$nsd_a $lat_avg"; nsd_m="$nsd_m $lat_max"; nsd_s="$nsd_s $lat_sd"
done
echo "  median latency at ${rate} qps: paxosdns avg $(echo $pax_a | median) ms, max $(echo $pax_m | median) ms," \
     "stddev $(echo $pax_s | median) ms; NSD avg $(echo $nsd_a | median) ms, max $(echo $nsd_m | median) ms, stddev $(echo $nsd_s | median) ms"
echo "  paxosdns young GCs during the latency rounds: $(gc_delta "$gc0" "$(gc_stats)")"
# dnsperf gives average, max and stddev only, and one stall of this shared VM decides a round's
# max; `bench dns-latency` (same file, same rate, open loop, on CPU 1) gives percentiles.
echo "== latency percentiles at ${rate} qps (bench dns-latency, 5 s unmeasured then $seconds s), $rounds alternating rounds"
pct() { # pct LABEL PORT: one run; sets $p99 and $p999
  local line
  line=$(taskset -c 1 java -jar "$jar" bench dns-latency --server "127.0.0.1:$2" --queries "$work/queries.txt" \
         --rate "$rate" --seconds "$seconds" --warmup-seconds 5 | tail -1)
  printf '  %-22s %s\n' "$1" "$(sed 's/^bench dns-latency: server=[^ ]* //; s/ load=.*//' <<<"$line")"
  p99=$(sed -n 's/.* p99_ms=\([0-9.]*\) .*/\1/p' <<<"$line"); p999=$(sed -n 's/.* p999_ms=\([0-9.]*\) .*/\1/p' <<<"$line")
}
pax_p99=""; nsd_p99=""; pax_p999=""; nsd_p999=""
for r in $(seq 1 "$rounds"); do
  pct "paxosdns r$r" "$port"; pax_p99="$pax_p99 $p99"; pax_p999="$pax_p999 $p999"
  pct "nsd r$r" "$nsd_port"; nsd_p99="$nsd_p99 $p99"; nsd_p999="$nsd_p999 $p999"
done
echo "  median percentiles at ${rate} qps: paxosdns p99 $(echo $pax_p99 | median) ms, p99.9 $(echo $pax_p999 | median) ms;" \
     "NSD p99 $(echo $nsd_p99 | median) ms, p99.9 $(echo $nsd_p999 | median) ms"
echo "== rss after the runs: paxosdns $(ps -o rss= -p "$pax_pid" | tr -d ' ') kB, NSD $nsd_rss kB (JVM options: ${PAXOSDNS_JAVA_OPTS:-$dns_java_opts})"
echo "== result: median qps paxosdns $pq, NSD $nq, ratio $(awk -v a="$pq" -v b="$nq" 'BEGIN { printf "%.2f", a / b }');" \
     "median CPU per query paxosdns $pu us, NSD $nu us (NSD/paxosdns = $(awk -v a="$pu" -v b="$nu" 'BEGIN { printf "%.2f", b / a }'))"
echo "   load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other builds share this machine)"
