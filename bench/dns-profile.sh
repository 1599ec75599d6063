#!/bin/bash
# A perf profile (kernel and JIT-compiled Java frames) of one paxosdns node answering dnsperf.
#
#   bench/dns-profile.sh [NAMES] [SECONDS] [OUT]   (defaults: 100000, 20 s, /tmp/dns-profile)
#
# The node of bench/dns-qps.sh (1-node cluster, `dns.udp-sockets = 1`, pinned to CPU 0, dnsperf
# on CPU 1) runs with -XX:+PreserveFramePointer so that perf can walk Java stacks; after a
# warm-up of SECONDS, `perf record -e cpu-clock -g` samples the node for SECONDS while dnsperf
# runs, `jcmd Compiler.perfmap` writes /tmp/perf-PID.map for the JIT's symbols, and the flat
# and caller reports go to OUT/flat.txt and OUT/callers.txt (plus the node's GC log, OUT/gc.log).
# PAXOSDNS_JAR runs another build; PAXOSDNS_JAVA_OPTS adds JVM options. Not run by `mvn verify`.
set -euo pipefail
names=${1:-100000}
seconds=${2:-20}
out=${3:-/tmp/dns-profile}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/dns-prof.XXXXXX)
. "$root/bench/cluster-lib.sh"
base=$((20000 + RANDOM % 20000))
need dnsperf dnsperf
need perf linux-perf
mkdir -p "$out"

gen_zone "$names" 1 "$work/bench.zone"
gen_queries "$names" 200000 "$work/queries.txt"
build_jar
cluster_init 1 "$base"
node_setting 0 "dns.udp-sockets = 1"
PAXOSDNS_JAVA_OPTS="$dns_java_opts -XX:+PreserveFramePointer -Xlog:gc:file=$out/gc.log ${PAXOSDNS_JAVA_OPTS:-}" serve 0 0
pid=$node_pid
wait_healthy 1
publish "$work/bench.zone" > /dev/null
wait_serial "$base" 1 600
perf_dns() { taskset -c 1 dnsperf -s 127.0.0.1 -p "$base" -d "$work/queries.txt" -l "$seconds" -c 8 -q 200 "$@"; }
echo "== warm-up ($seconds s)"
perf_dns > /dev/null
echo "== profiling node pid $pid for $seconds s"
perf_dns > "$out/dnsperf.txt" 2>&1 &
dnsperf_pid=$!
perf record -e cpu-clock -F 1999 -g -p "$pid" -o "$out/perf.data" -- sleep "$seconds" 2> "$out/perf-record.log"
wait "$dnsperf_pid" || true
jcmd "$pid" Compiler.perfmap > /dev/null
perf report -i "$out/perf.data" --no-children --sort symbol --stdio -g none 2>/dev/null > "$out/flat.txt"
perf report -i "$out/perf.data" --no-children --sort symbol --stdio -g caller,0.5,callee --percent-limit 2 2>/dev/null > "$out/callers.txt"
grep -E 'Queries per second|Queries completed' "$out/dnsperf.txt"
echo "== top symbols (load average $(cut -d' ' -f1-3 /proc/loadavg)); full reports in $out"
grep -v '^#' "$out/flat.txt" | grep -v '^$' | head -40
