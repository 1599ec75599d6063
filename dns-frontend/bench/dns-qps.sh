#!/bin/bash
# Throughput and latency of the paxosdns front end against NSD on the same zone, same core.
#
#   dns-frontend/bench/dns-qps.sh [NAMES] [SECONDS]      (defaults: 100000 names, 20 s per run)
#
# Generates a zone of NAMES hosts (A, AAAA, TXT each) plus CNAMEs, a wildcard and delegations,
# and a query mix (hits 60%, NXDOMAIN 15%, wildcard 10%, CNAME 10%, referral 5%). Runs the
# paxosdns front end (ServeZonesMain, one UDP socket) and NSD (server-count 1, no RRL) in turn,
# each pinned with taskset to CPU 0, with dnsperf pinned to CPU 1. Prints qps and lost queries
# for both and the ratio, then latency for both at a fixed rate below NSD's maximum.
# Installs dnsperf and nsd with apt-get when missing. Not run by `mvn verify`.
set -euo pipefail
names=${1:-100000}
seconds=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/dns-bench.XXXXXX)
port=$((20000 + RANDOM % 20000))
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

perf() { # perf LABEL EXTRA-ARGS... : runs dnsperf on CPU 1, prints its summary lines
  taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries.txt" -l "$seconds" -c 8 -q 200 "$@" > "$work/perf.out" 2>&1 || true
  grep -E "Queries (sent|completed|lost)|Queries per second|Average Latency|Latency StdDev" "$work/perf.out" | sed "s/^/  $label: /"
}
qps() { grep "Queries per second" "$work/perf.out" | awk '{print $4}'; }
wait_port() { for _ in $(seq 1 600); do kill -0 "${pids[-1]}" 2>/dev/null || { echo "server died"; exit 1; }; dig +short +time=1 +tries=1 -p "$port" @127.0.0.1 ns1.bench.test A >/dev/null 2>&1 && return 0; sleep 0.2; done; return 1; }

echo "== paxosdns front end (CPU 0)"
(cd "$root" && mvn -B -q -o -pl dns-frontend -am test-compile)
start=$(date +%s%N)
taskset -c 0 java -Xms1g -Xmx1g -cp "$("$here/classpath.sh")" org.paxosdns.dns.ServeZonesMain "$port" 1 \
  "bench.test.=$work/bench.zone" > "$work/paxosdns.log" 2>&1 &
pids+=($!)
wait_port
echo "  $(grep loaded "$work/paxosdns.log") ; ready after $(( ($(date +%s%N) - start) / 1000000 )) ms"
label=warmup perf > /dev/null
label=paxosdns perf
pax_qps=$(qps)
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

echo "== NSD (CPU 0)"
cat > "$work/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1
  port: $port
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
pids+=($!)
wait_port
echo "  nsd rss $(ps -o rss= -p "$(cat "$work/nsd.pid" 2>/dev/null || echo "${pids[-1]}")" 2>/dev/null | tr -d ' ') kB"
label=nsd perf
nsd_qps=$(qps)
rate=$(awk -v q="$nsd_qps" 'BEGIN { printf "%d", q * 0.5 }')
label="nsd@${rate}qps" perf -Q "$rate"
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

echo "== paxosdns at ${rate} qps"
taskset -c 0 java -Xms1g -Xmx1g -cp "$("$here/classpath.sh")" org.paxosdns.dns.ServeZonesMain "$port" 1 \
  "bench.test.=$work/bench.zone" > "$work/paxosdns.log" 2>&1 &
pids+=($!)
wait_port
label=warmup perf > /dev/null
label="paxosdns@${rate}qps" perf -Q "$rate"
echo "== result: paxosdns ${pax_qps} qps, NSD ${nsd_qps} qps, ratio $(awk -v a="$pax_qps" -v b="$nsd_qps" 'BEGIN { printf "%.2f", a / b }')"
echo "   load average: $(cut -d' ' -f1-3 /proc/loadavg) (other builds share this machine)"
