#!/bin/bash
# Throughput and latency of the paxosdns front end against NSD on the same zone, same core.
#
#   dns-frontend/bench/dns-qps.sh [NAMES] [SECONDS] [ROUNDS]   (defaults: 100000, 20 s, 3)
#
# Generates a zone of NAMES hosts (A, AAAA, TXT each) plus CNAMEs, a wildcard and delegations,
# and a query mix (hits 60%, NXDOMAIN 15%, wildcard 10%, CNAME 10%, referral 5%). Runs the
# paxosdns front end (ServeZonesMain, one UDP socket) and NSD (server-count 1, no RRL) in turn,
# both pinned with taskset to CPU 0, with dnsperf pinned to CPU 1, and measures them in
# alternation (ROUNDS rounds, default 3) so that load from other processes hits both alike.
# Prints per round qps, lost queries and server CPU microseconds per query (user+system time
# of the server processes, the figure least disturbed by a shared machine), the medians and
# ratios, then latency for both at a fixed rate of half NSD's median.
# Installs dnsperf and nsd with apt-get when missing. Not run by `mvn verify`.
set -euo pipefail
names=${1:-100000}
seconds=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/dns-bench.XXXXXX)
rounds=${3:-3}
port=$((20000 + RANDOM % 20000))
nsd_port=$((port + 1))
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

for tool in dnsperf nsd; do
  command -v "$tool" >/dev/null || { apt-get update -q && apt-get install -y -q dnsperf nsd; }
done

echo "== generating zone of $names names in $work"
awk -v n="$names" 'BEGIN {
  print "$ORIGIN bench.test.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.1";
  print "*.wild IN A 192.0.2.99";
  for (i = 0; i < n; i++) {
    printf "host%d IN A 10.%d.%d.%d\nhost%d IN AAAA 2001:db8::%x:%x\nhost%d IN TXT \"name %d\"\n", i, int(i/65536)%256, int(i/256)%256, i%256, i, int(i/65536), i%65536, i, i;
    if (i % 10 == 0) printf "alias%d IN CNAME host%d\n", i, i;
    if (i % 100 == 0) printf "sub%d IN NS ns.sub%d\nns.sub%d IN A 192.0.2.%d\n", i, i, i, i % 250 + 1;
  }
}' > "$work/bench.zone"
awk -v n="$names" 'BEGIN { srand(42);
  for (q = 0; q < 200000; q++) {
    r = rand(); i = int(rand() * n);
    if (r < 0.20) print "host" i ".bench.test A";
    else if (r < 0.40) print "host" i ".bench.test AAAA";
    else if (r < 0.60) print "host" i ".bench.test TXT";
    else if (r < 0.75) print "nx" i ".bench.test A";
    else if (r < 0.85) print "w" i ".wild.bench.test A";
    else if (r < 0.95) print "alias" (i - i % 10) ".bench.test A";
    else print "a.sub" (i - i % 100) ".bench.test A";
  } }' > "$work/queries.txt"

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
  local lat; lat=$(awk '/Average Latency/ {a=$4} /Latency StdDev/ {s=$4} END {printf "avg %.3f ms, stddev %.3f ms", a*1000, s*1000}' "$work/perf.out")
  printf '  %-22s qps %7d  lost %-12s cpu %6s us/query  latency %s\n' "$label" "$qps" "$lost" "$us" "$lat"
}
median() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wait_port() { # wait_port PORT PID
  for _ in $(seq 1 600); do
    kill -0 "$2" 2>/dev/null || { echo "server died"; exit 1; }
    dig +short +time=1 +tries=1 -p "$1" @127.0.0.1 ns1.bench.test A >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}

echo "== starting paxosdns (port $port) and NSD (port $nsd_port), both on CPU 0"
(cd "$root" && mvn -B -q -o -pl dns-frontend -am test-compile)
start=$(date +%s%N)
taskset -c 0 java -Xms1g -Xmx1g -Xmn256m -cp "$("$here/classpath.sh")" org.paxosdns.dns.ServeZonesMain "$port" 1 \
  "bench.test.=$work/bench.zone" > "$work/paxosdns.log" 2>&1 &
pax_pid=$!; pids+=("$pax_pid")
wait_port "$port" "$pax_pid"
echo "  paxosdns: $(grep loaded "$work/paxosdns.log"); answering after $(( ($(date +%s%N) - start) / 1000000 )) ms"
cat > "$work/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1
  port: $nsd_port
  server-count: 1
  rrl-ratelimit: 0
  username: ""
  chroot: ""
  zonesdir: "$work"
  database: ""
  pidfile: "$work/nsd.pid"
  xfrdfile: "$work/xfrd.state"
  zonelistfile: "$work/zone.list"
  verbosity: 0
remote-control:
  control-enable: no
zone:
  name: bench.test
  zonefile: bench.zone
CONF
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
echo "== latency at a fixed ${rate} qps"
run "paxosdns @${rate}" "$port" "$pax_pid" -Q "$rate"
run "nsd @${rate}" "$nsd_port" "$nsd_pids" -Q "$rate"
echo "== paxosdns rss $(ps -o rss= -p "$pax_pid" | tr -d ' ') kB after the runs"
echo "== result: median qps paxosdns $pq, NSD $nq, ratio $(awk -v a="$pq" -v b="$nq" 'BEGIN { printf "%.2f", a / b }');" \
     "median CPU per query paxosdns $pu us, NSD $nu us (NSD/paxosdns = $(awk -v a="$pu" -v b="$nu" 'BEGIN { printf "%.2f", b / a }'))"
echo "   load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other builds share this machine)"
