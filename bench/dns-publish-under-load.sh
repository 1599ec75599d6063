#!/bin/bash
# Publishing under query load: dnsperf queries one node of a real 3-node cluster while a loop
# publishes VERSIONS new versions of the zone; no query may be lost and none may get SERVFAIL.
#
#   bench/dns-publish-under-load.sh [NAMES] [VERSIONS] [QPS]   (defaults: 10000, 100, 10000)
#
# `cluster init --nodes 3` + `serve` on 127.0.0.1, bench.test. with NAMES hosts (A, AAAA, TXT,
# CNAMEs, a wildcard, delegations) published once, then dnsperf (rate QPS, the usual query mix)
# runs against node0 in back-to-back 20 s runs while `publish` is called VERSIONS times with
# serials 2..VERSIONS+1 (each publish returns once the command is chosen). Prints the publish
# times, the queries sent, lost and answered per rcode, and checks every node ends on the last
# serial. Installs dnsperf with apt-get when missing. Not run by `mvn verify`.
set -euo pipefail
names=${1:-10000}
versions=${2:-100}
qps=${3:-10000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/publish-load.XXXXXX)
. "$root/bench/cluster-lib.sh"
need dnsperf dnsperf
need dig dnsutils
base=$((20000 + RANDOM % 20000))

echo "== 3 nodes, DNS on 127.0.0.1:$base/$((base + 10))/$((base + 20)); work dir $work"
build_jar
cluster_init 3 "$base"
for i in 0 1 2; do serve "$i"; done
wait_healthy 3
target=$(dns_port 0)
gen_zone "$names" 1 "$work/v1.zone"
publish "$work/v1.zone" | sed 's/^/  /'
wait_serial "$target" 1 120
gen_queries "$names" 200000 "$work/queries.txt"

echo "== publishing $versions versions of bench.test. ($names names) while dnsperf sends $qps qps to node0"
(
  for v in $(seq 2 $((versions + 1))); do
    sed "s/hostmaster 1 /hostmaster $v /; s/\"name 7\"/\"name 7 version $v\"/" "$work/v1.zone" > "$work/v.zone"
    t0=$(date +%s%N)
    publish "$work/v.zone" > "$work/publish.out" 2>&1 || { echo "  publish of serial $v failed: $(cat "$work/publish.out")"; }
    echo "$v $(( ($(date +%s%N) - t0) / 1000000 ))" >> "$work/publish-ms.txt"
  done
) &
publisher=$!
run=0
while kill -0 "$publisher" 2>/dev/null; do
  run=$((run + 1))
  dnsperf -s 127.0.0.1 -p "$target" -d "$work/queries.txt" -l 20 -c 8 -Q "$qps" > "$work/perf$run.out" 2>&1 || true
  awk '/Queries sent/ {s=$3} /Queries lost/ {l=$3} /Queries per second/ {q=$4} END {printf "  dnsperf run: sent %d lost %d (%.0f qps)\n", s, l, q}' "$work/perf$run.out"
done
wait "$publisher"
sort -n -k2 "$work/publish-ms.txt" | awk '{a[NR]=$2} END {printf "== %d publishes: median %d ms, max %d ms each (command chosen)\n", NR, a[int((NR+1)/2)], a[NR]}'
cat "$work"/perf*.out | awk '
  /Queries sent/ {sent += $3} /Queries completed/ {done += $3} /Queries lost/ {lost += $3}
  /Response codes/ { for (i = 3; i < NF; i += 3) { code = $i; n = $(i + 1); gsub(/[^0-9]/, "", n); rc[code] += n } }
  END {
    printf "== queries sent %d, completed %d, lost %d; rcodes:", sent, done, lost
    for (c in rc) printf " %s %d", c, rc[c]
    printf "; SERVFAIL %d\n", rc["SERVFAIL"] + 0
  }'
last=$((versions + 1))
for i in 0 1 2; do echo "  node$i serves serial $(soa_serial "$(dns_port "$i")") (expected $last)"; done
echo "   load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
