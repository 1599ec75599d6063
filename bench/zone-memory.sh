#!/bin/bash
# Memory and load time of a large zone in a real paxosdns node, against NSD on the same file.
#
#   bench/zone-memory.sh [NAMES] [HEAP]     (defaults: 1000000 names, 6g)
#
# ZONE_MEMORY_JAVA_OPTS adds JVM options to the node's -Xmx (default
# -XX:G1PeriodicGCInterval=5000: an idle node runs a concurrent GC after 5 s, which gives the
# heap grown while parsing back to the OS; set it to "" to measure without).
# Generates bench.test. (NAMES hosts with A, AAAA and TXT, CNAMEs, delegations, a wildcard),
# starts a 1-node cluster (`cluster init --nodes 1`, `serve` with -Xmx HEAP), publishes the zone
# and prints how long until the node answers its SOA (upload, parse and validation at
# admission, consensus, re-hash and parse at serving, indexing), the node's RSS, then the same
# for NSD (`nsd -d`, time until it answers, RSS summed over its processes). CPU seconds are
# printed beside each time (node and publish tool; NSD's processes), the figure that stays
# comparable on a loaded machine. Installs nsd with apt-get when missing; removes its work
# directory at the end unless ZONE_MEMORY_KEEP=1. Not run by `mvn verify`.
set -euo pipefail
names=${1:-1000000}
heap=${2:-6g}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/zone-memory.XXXXXX)
. "$root/bench/cluster-lib.sh"
[ "${ZONE_MEMORY_KEEP:-0}" = 1 ] || trap 'cleanup; rm -rf "$work"' EXIT
# cpu_s PID: CPU seconds (user + system, with reaped children) the process has used so far.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15 + $16 + $17) / hz }' "/proc/$1/stat"; }
need nsd nsd
need dig dnsutils
base=$((20000 + RANDOM % 20000))
nsd_port=$((base + 90))

gen_zone "$names" 1 "$work/bench.zone"
echo "== zone: $names names, $(wc -l < "$work/bench.zone") lines, $(du -m "$work/bench.zone" | cut -f1) MB; work dir $work"
build_jar
cluster_init 1 "$base"
java_opts="-Xmx$heap ${ZONE_MEMORY_JAVA_OPTS--XX:G1PeriodicGCInterval=5000}"
PAXOSDNS_JAVA_OPTS="$java_opts" serve 0
pax_pid=$node_pid
wait_healthy 1
echo "  paxosdns node before the zone: rss $(ps -o rss= -p "$pax_pid" | tr -d ' ') kB"
node_cpu_before=$(cpu_s "$pax_pid")
start=$(date +%s%N)
TIMEFORMAT='publish-cpu %U %S'
{ time publish "$work/bench.zone" --timeout-ms 1200000; } 2> "$work/publish.err" | sed 's/^/  /'
grep -v '^publish-cpu' "$work/publish.err" >&2 || true
tool_cpu=$(awk '/^publish-cpu/ { printf "%.2f", $2 + $3 }' "$work/publish.err")
published=$(( ($(date +%s%N) - start) / 1000000 ))
wait_serial "$base" 1 1200
answered=$(( ($(date +%s%N) - start) / 1000000 ))
node_cpu=$(awk -v a="$node_cpu_before" -v b="$(cpu_s "$pax_pid")" 'BEGIN { printf "%.2f", b - a }')
echo "== paxosdns: publish returned after $published ms, node answers after $answered ms;" \
     "rss $(ps -o rss= -p "$pax_pid" | tr -d ' ') kB ($java_opts)"
echo "   CPU: node ${node_cpu} s, publish tool ${tool_cpu} s"
grep -E "zone .* (loaded|indexed)" "$work/node0.log" | sed 's/^/  /' || true
sleep 15
echo "   after 15 s idle: rss $(ps -o rss= -p "$pax_pid" | tr -d ' ') kB;" \
     "heap $(jcmd "$pax_pid" GC.heap_info 2>/dev/null | awk '/garbage-first heap|def new generation|PSYoungGen/ {print $(NF-2), $(NF-1), $NF; exit}')"
nsd_conf "$nsd_port" '  verbosity: 0' '  zonefile: bench.zone'
start=$(date +%s%N)
nsd -d -c "$work/nsd.conf" > "$work/nsd.log" 2>&1 &
nsd_main=$!; pids+=("$nsd_main")
wait_serial "$nsd_port" 1 1200
loaded=$(( ($(date +%s%N) - start) / 1000000 ))
sleep 1  # NSD forks its xfrd and server processes after it starts answering
nsd_rss=$(for p in $(pgrep -f "nsd -d -c $work/nsd.conf"); do ps -o rss= -p "$p"; done | awk '{s+=$1} END {print s}')
nsd_cpu=$(for p in $(pgrep -f "nsd -d -c $work/nsd.conf"); do cpu_s "$p"; echo; done | awk '{s+=$1} END {printf "%.2f", s}')
echo "== nsd: answers after $loaded ms; rss $nsd_rss kB (summed over its processes, shared pages counted in each); CPU $nsd_cpu s"
echo "   load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
rm -f "$work/bench.zone"
