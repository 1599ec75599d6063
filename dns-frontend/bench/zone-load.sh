#!/bin/bash
# Load time and memory of one generated zone in the front end:
#   dns-frontend/bench/zone-load.sh [NAMES] [HEAP]      (defaults: 100000 names, 4g heap)
# Generates the same zone as dns-qps.sh (A, AAAA, TXT per name, CNAMEs, delegations), starts
# ServeZonesMain on it and prints its "loaded ..." line: parse+index time, heap after GC, RSS.
set -euo pipefail
names=${1:-100000}
heap=${2:-4g}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/dns-zone-load.XXXXXX)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
awk -v n="$names" 'BEGIN {
  print "$ORIGIN bench.test.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.1";
  print "*.wild IN A 192.0.2.99";
  for (i = 0; i < n; i++) {
    printf "host%d IN A 10.%d.%d.%d\nhost%d IN AAAA 2001:db8::%x:%x\nhost%d IN TXT \"name %d\"\n", i, int(i/65536)%256, int(i/256)%256, i%256, i, int(i/65536), i%65536, i, i;
    if (i % 10 == 0) printf "alias%d IN CNAME host%d\n", i, i;
    if (i % 100 == 0) printf "sub%d IN NS ns.sub%d\nns.sub%d IN A 192.0.2.%d\n", i, i, i, i % 250 + 1;
  }
}' > "$work/bench.zone"
echo "zone: $names names, $(wc -l < "$work/bench.zone") lines, $(du -h "$work/bench.zone" | cut -f1)"
(cd "$root" && mvn -B -q -o -pl dns-frontend -am test-compile)
java -Xmx"$heap" -cp "$("$here/classpath.sh")" org.paxosdns.dns.ServeZonesMain 0 1 "bench.test.=$work/bench.zone" > "$work/log" 2>&1 &
pid=$!
sleep 1
until grep -q "ready\|Exception" "$work/log"; do kill -0 "$pid" || break; sleep 1; done
grep -E "loaded|Exception" "$work/log"
