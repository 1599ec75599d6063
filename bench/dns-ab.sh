#!/bin/bash
# Back-to-back A/B of two paxosdns jars (and NSD) answering the same zone on the same core.
#
#   bench/dns-ab.sh JAR_A JAR_B [NAMES] [SECONDS] [ROUNDS]   (defaults: 100000, 10 s, 5)
#
# Two 1-node clusters (one per jar, `dns.udp-sockets = 1`, the zone of bench/dns-qps.sh
# published to each) and NSD (server-count 1, no RRL) run at once, all pinned to CPU 0; dnsperf
# on CPU 1 asks them in turn, A, B, NSD, for ROUNDS rounds at an unlimited rate. Meant for a
# shared machine: the servers sit side by side for the whole run, so load from other processes
# hits all three alike, and CPU time per query (user+system of the server processes over each
# run) says more than qps. Prints each run, then the medians and the ratios.
# PAXOSDNS_JAVA_OPTS applies to both nodes (default $dns_java_opts of bench/cluster-lib.sh);
# JAVA_OPTS_A and JAVA_OPTS_B set them for one node each. Not run by `mvn verify`.
set -euo pipefail
jar_a=$(realpath "$1")
jar_b=$(realpath "$2")
names=${3:-100000}
seconds=${4:-10}
rounds=${5:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
top=$(mktemp -d /tmp/dns-ab.XXXXXX)
work=$top
. "$root/bench/cluster-lib.sh"
base=$((20000 + RANDOM % 20000))
need dnsperf dnsperf
need nsd nsd
need dig dnsutils
opts=${PAXOSDNS_JAVA_OPTS:-$dns_java_opts}

gen_zone "$names" 1 "$top/bench.zone"
gen_queries "$names" 200000 "$top/queries.txt"

cpu_ticks() { local t=0 p; for p in "$@"; do t=$((t + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}'))); done; echo "$t"; }
# run LABEL PORT "PIDS": one dnsperf run on CPU 1; sets $qps and $us
run() {
  local label=$1 p=$2 pids=$3
  local t0; t0=$(cpu_ticks $pids)
  taskset -c 1 dnsperf -s 127.0.0.1 -p "$p" -d "$top/queries.txt" -l "$seconds" -c 8 -q 200 > "$top/perf.out" 2>&1 || true
  local t1; t1=$(cpu_ticks $pids)
  local done_q; done_q=$(awk '/Queries completed/ {print $3}' "$top/perf.out")
  qps=$(awk '/Queries per second/ {printf "%d", $4}' "$top/perf.out")
  us=$(awk -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" -v n="$done_q" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')
  printf '  %-10s qps %7d  lost %-14s cpu %6s us/query  load %s\n' "$label" "$qps" \
    "$(awk '/Queries lost/ {print $3, $4}' "$top/perf.out")" "$us" "$(cut -d' ' -f1 /proc/loadavg)"
}
median() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# start_node NAME JAR BASE_PORT JVM_OPTIONS: a 1-node cluster in $top/NAME serving the zone; sets $node_pid
start_node() {
  work=$top/$1; jar=$2; mkdir -p "$work"
  cluster_init 1 "$3"
  node_setting 0 "dns.udp-sockets = 1"
  PAXOSDNS_JAVA_OPTS=$4 serve 0 0
  wait_healthy 1
  publish "$top/bench.zone" > /dev/null
  wait_serial "$3" 1 600
  work=$top
}
start_node a "$jar_a" "$base" "${JAVA_OPTS_A:-$opts}"; pid_a=$node_pid
start_node b "$jar_b" "$((base + 100))" "${JAVA_OPTS_B:-$opts}"; pid_b=$node_pid
nsd_port=$((base + 190))
nsd_conf "$nsd_port" $'  rrl-ratelimit: 0\n  verbosity: 0' '  zonefile: bench.zone'
taskset -c 0 nsd -d -c "$top/nsd.conf" > "$top/nsd.log" 2>&1 &
pids+=("$!")
wait_serial "$nsd_port" 1 60
sleep 1 # NSD forks its xfrd and server processes after it starts answering
nsd_pids=$(pgrep -f "nsd -d -c $top/nsd.conf" | tr '\n' ' ')

echo "== A $jar_a (${JAVA_OPTS_A:-$opts}), B $jar_b (${JAVA_OPTS_B:-$opts}); warm-up of both ($seconds s each)"
run warm-a "$base" "$pid_a" > /dev/null
run warm-b "$((base + 100))" "$pid_b" > /dev/null
qa=""; qb=""; qn=""; ua=""; ub=""; un=""
for r in $(seq 1 "$rounds"); do
  run "A r$r" "$base" "$pid_a"; qa="$qa $qps"; ua="$ua $us"
  run "B r$r" "$((base + 100))" "$pid_b"; qb="$qb $qps"; ub="$ub $us"
  run "NSD r$r" "$nsd_port" "$nsd_pids"; qn="$qn $qps"; un="$un $us"
done
ma=$(echo $ua | median); mb=$(echo $ub | median); mn=$(echo $un | median)
echo "== medians: A $(echo $qa | median) qps $ma us/query; B $(echo $qb | median) qps $mb us/query;" \
     "NSD $(echo $qn | median) qps $mn us/query"
echo "   CPU per query B/A $(awk -v a="$ma" -v b="$mb" 'BEGIN { printf "%.3f", b / a }'),"\
     "NSD/A $(awk -v a="$ma" -v n="$mn" 'BEGIN { printf "%.3f", n / a }'), NSD/B $(awk -v b="$mb" -v n="$mn" 'BEGIN { printf "%.3f", n / b }');" \
     "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
