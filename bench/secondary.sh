#!/bin/bash
# A real secondary (NSD or Knot DNS) transferring a zone from a real 3-node paxosdns cluster.
#
#   bench/secondary.sh [nsd|knot] [NAMES] [VERSIONS]     (defaults: nsd, 1000 names, 5 versions)
#
# `cluster init` + `serve` on 127.0.0.1; node0's node.conf gets `dns.axfr-allow = 127.0.0.1`
# and `dns.notify = 127.0.0.1:<secondary port>`. Publishes bench.test. (NAMES hosts with
# A/AAAA/TXT, CNAMEs, a wildcard, delegations), starts the secondary with node0 as its
# primary, waits for the transfer, then compares rcode and answer section of a query mix on
# node0 and on the secondary (authority/additional differences are counted separately: the
# two servers choose differently what to add). Then publishes VERSIONS new versions and times,
# from the start of each `publish`, when node0 serves the new SOA serial and when the
# secondary does (NOTIFY, SOA check, AXFR, reload). Installs nsd or knot with apt-get when
# missing. Not run by `mvn verify`.
set -euo pipefail
kind=${1:-nsd}
names=${2:-1000}
versions=${3:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/secondary-bench.XXXXXX)
. "$root/bench/cluster-lib.sh"
base=$((20000 + RANDOM % 20000))
sec_port=$((base + 90))

case "$kind" in
  nsd) need nsd nsd ;;
  knot) need knotd knot ;;
  *) echo "usage: $0 [nsd|knot] [NAMES] [VERSIONS]" >&2; exit 2 ;;
esac
need dig dnsutils

echo "== paxosdns: 3 nodes, DNS on 127.0.0.1:$base/$((base + 10))/$((base + 20)); $kind on port $sec_port; work dir $work"
build_jar
cluster_init 3 "$base"
node_setting 0 "dns.axfr-allow = 127.0.0.1"
node_setting 0 "dns.notify = 127.0.0.1:$sec_port"
for i in 0 1 2; do serve "$i"; done
wait_healthy 3
primary=$(dns_port 0)
gen_zone "$names" 1 "$work/v1.zone"
publish "$work/v1.zone"
wait_serial "$primary" 1 60

start_nsd() {
  nsd_conf "$sec_port" $'  xfrd-reload-timeout: 0\n  verbosity: 2' \
    "  zonefile: secondary.bench.zone
  request-xfr: AXFR 127.0.0.1@$primary NOKEY
  allow-notify: 127.0.0.1 NOKEY"
  nsd -d -c "$work/nsd.conf" > "$work/secondary.log" 2>&1 &
  pids+=("$!")
}

start_knot() {
  mkdir -p "$work/knot"
  cat > "$work/knot.conf" <<CONF
server:
  listen: 127.0.0.1@$sec_port
  rundir: "$work/knot"
  udp-workers: 1
  tcp-workers: 1
  background-workers: 1
database:
  storage: "$work/knot"
log:
  - target: stderr
    any: info
remote:
  - id: paxosdns
    address: 127.0.0.1@$primary
acl:
  - id: notify-from-paxosdns
    address: 127.0.0.1
    action: notify
zone:
  - domain: bench.test
    storage: "$work/knot"
    master: paxosdns
    acl: notify-from-paxosdns
CONF
  knotd -c "$work/knot.conf" > "$work/secondary.log" 2>&1 &
  pids+=("$!")
}

start=$(date +%s%N)
"start_$kind"
wait_serial "$sec_port" 1 60
echo "== $kind transferred serial 1 ($names names) and answers after $(( ($(date +%s%N) - start) / 1000000 )) ms"

# answer PORT NAME TYPE: "rcode|sorted answer section" (TTLs included)
answer() {
  local out; out=$(dig +norecurse +time=2 +tries=2 -p "$1" @127.0.0.1 "$2" "$3")
  echo "$(sed -n 's/.*status: \([A-Z]*\),.*/\1/p' <<< "$out")|$(dig_section ANSWER <<< "$out")"
}
rest() { dig +norecurse +time=2 +tries=2 -p "$1" @127.0.0.1 "$2" "$3" | { dig_section AUTHORITY; dig_section ADDITIONAL; } | grep -v OPT; }
dig_section() { awk -v s=";; $1 SECTION:" '$0 == s {on=1; next} /^$/ {on=0} on' | sort | tr '\n' ';'; }

gen_queries "$names" 300 "$work/compare.txt"
printf 'bench.test SOA\nbench.test NS\nbench.test A\nns1.bench.test A\nhost1.bench.test ANY\nsub100.bench.test NS\nsub100.bench.test DS\n' >> "$work/compare.txt"
same=0; differ=0; extra_differ=0
while read -r qname qtype; do
  a=$(answer "$primary" "$qname" "$qtype"); b=$(answer "$sec_port" "$qname" "$qtype")
  if [ "$a" = "$b" ]; then same=$((same + 1)); else differ=$((differ + 1)); echo "  differs: $qname $qtype: paxosdns [$a] $kind [$b]"; fi
  [ "$(rest "$primary" "$qname" "$qtype")" = "$(rest "$sec_port" "$qname" "$qtype")" ] || extra_differ=$((extra_differ + 1))
done < "$work/compare.txt"
echo "== rcode and answer section: $same of $((same + differ)) queries the same on paxosdns and $kind" \
     "(authority/additional differ on $extra_differ)"

# poll SERIAL T0: prints ms from T0 until node0, then the secondary, serve SERIAL
poll() {
  local p_ms="" s_ms="" end=$(( $(date +%s) + 60 ))
  while [ -z "$p_ms" ] || [ -z "$s_ms" ]; do
    [ -n "$p_ms" ] || { [ "$(soa_serial "$primary")" = "$1" ] && p_ms=$(( ($(date +%s%N) - $2) / 1000000 )); }
    [ -n "$s_ms" ] || { [ "$(soa_serial "$sec_port")" = "$1" ] && s_ms=$(( ($(date +%s%N) - $2) / 1000000 )); }
    [ "$(date +%s)" -lt "$end" ] || break
    sleep 0.01
  done
  echo "${p_ms:-timeout} ${s_ms:-timeout}"
}
echo "== $versions new versions: ms from the start of publish until node0 / $kind serve the new serial"
lags=""
for v in $(seq 2 $((versions + 1))); do
  gen_zone "$names" "$v" "$work/v$v.zone"
  t0=$(date +%s%N)
  poll "$v" "$t0" > "$work/poll.out" &
  poller=$!
  publish "$work/v$v.zone" > /dev/null
  t_pub=$(( ($(date +%s%N) - t0) / 1000000 ))
  wait "$poller"
  read -r p_ms s_ms < "$work/poll.out"
  lag=$((s_ms - p_ms)); lags="$lags $lag"
  printf '  serial %d: publish returned %5d ms, node0 serves %5s ms, %s serves %5s ms (%s ms after node0)\n' \
    "$v" "$t_pub" "$p_ms" "$kind" "$s_ms" "$lag"
done
echo "== result: $kind serves each new serial $(tr ' ' '\n' <<< "$lags" | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {printf "%d ms (median), %d ms (max)", a[int((NR+1)/2)], a[NR]}') after node0 does"
echo "   load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
