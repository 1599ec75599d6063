# Shared by the DNS bench scripts (sourced, not run): a real paxosdns cluster from
# `cluster init` + `serve`, a generated zone, publishing, and dig helpers.
# Expects $root (the repository) and $work (a scratch directory) to be set. PAXOSDNS_JAR names
# a jar to run instead of building and running server/target/paxosdns.jar.
jar=${PAXOSDNS_JAR:-$root/server/target/paxosdns.jar}

# JVM options of a node serving DNS in the throughput benches (override with PAXOSDNS_JAVA_OPTS):
# a fixed 1 GiB heap with a 256 MiB young generation; transparent huge pages for the heap (the
# answer cache is ~40 MB of entries read at random: with 4 KiB pages every hit also missed the
# TLB, and in a VM each miss walks two page tables; the profile's lookup share fell from 16.7% to
# 10% with the four-way cache, no difference with eight ways); no sampling of Netty buffers for
# leaks (1 in 128 buffers recorded a stack trace); objects that survive two young GCs go to the
# old generation (the default, 15, copied the answer cache's ~6 MB of entries between the
# survivor spaces in every young GC for a minute or more: 5-6 ms pauses, 2-3 ms once they were
# promoted, and the fixed-rate maxima followed the pauses).
dns_java_opts="-Xms1g -Xmx1g -Xmn256m -XX:MaxTenuringThreshold=2 -XX:+UseTransparentHugePages -Dio.netty.leakDetection.level=disabled"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# nsd_conf PORT SERVER_EXTRA ZONE_EXTRA: writes $work/nsd.conf for one NSD server process on
# 127.0.0.1:PORT serving bench.test; SERVER_EXTRA and ZONE_EXTRA are further indented lines of
# the server: and zone: sections (the zone file, transfers, rate limiting, verbosity).
nsd_conf() {
  cat > "$work/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1
  port: $1
  server-count: 1
$2
  username: ""
  chroot: ""
  zonesdir: "$work"
  database: ""
  pidfile: "$work/nsd.pid"
  xfrdfile: "$work/xfrd.state"
  zonelistfile: "$work/zone.list"
remote-control:
  control-enable: no
zone:
  name: bench.test
$3
CONF
}

# need TOOL PACKAGE: installs PACKAGE with apt-get when TOOL is missing (apt-get update once).
apt_updated=""
need() {
  command -v "$1" >/dev/null && return 0
  [ -n "$apt_updated" ] || { apt-get update -q >/dev/null; apt_updated=1; }
  apt-get install -y -q "$2" >/dev/null
}

# gen_zone NAMES SERIAL FILE: bench.test. with NAMES hosts (A, AAAA, TXT each), a CNAME per
# 10 hosts, a delegation per 100, a wildcard.
gen_zone() {
  awk -v n="$1" -v serial="$2" 'BEGIN {
    print "$ORIGIN bench.test.\n$TTL 3600\n@ IN SOA ns1 hostmaster " serial " 7200 3600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.1";
    print "*.wild IN A 192.0.2.99";
    for (i = 0; i < n; i++) {
      printf "host%d IN A 10.%d.%d.%d\nhost%d IN AAAA 2001:db8::%x:%x\nhost%d IN TXT \"name %d\"\n", i, int(i/65536)%256, int(i/256)%256, i%256, i, int(i/65536), i%65536, i, i;
      if (i % 10 == 0) printf "alias%d IN CNAME host%d\n", i, i;
      if (i % 100 == 0) printf "sub%d IN NS ns.sub%d\nns.sub%d IN A 192.0.2.%d\n", i, i, i, i % 250 + 1;
    }
  }' > "$3"
}

# gen_queries NAMES COUNT FILE: hits 60% (A/AAAA/TXT), NXDOMAIN 15%, wildcard 10%, CNAME 10%, referral 5%.
gen_queries() {
  awk -v n="$1" -v count="$2" 'BEGIN { srand(42);
    for (q = 0; q < count; q++) {
      r = rand(); i = int(rand() * n);
      if (r < 0.20) print "host" i ".bench.test A";
      else if (r < 0.40) print "host" i ".bench.test AAAA";
      else if (r < 0.60) print "host" i ".bench.test TXT";
      else if (r < 0.75) print "nx" i ".bench.test A";
      else if (r < 0.85) print "w" i ".wild.bench.test A";
      else if (r < 0.95) print "alias" (i - i % 10) ".bench.test A";
      else print "a.sub" (i - i % 100) ".bench.test A";
    } }' > "$3"
}

# cluster_init NODES BASE_PORT: writes $work/cluster (node i: DNS on BASE_PORT+10i, ops +3).
cluster_init() {
  java -jar "$jar" cluster init --nodes "$1" --dir "$work/cluster" --base-port "$2" --bits 2048 > "$work/init.log"
  base_port=$2
}

# node_setting NODE "key = value": appends a setting to the node's node.conf (before it starts).
node_setting() { echo "$2" >> "$work/cluster/node$1/node.conf"; }

# serve NODE [CPUS]: starts the node in the background (pinned with taskset when CPUS is given);
# $node_pid is its pid. PAXOSDNS_JAVA_OPTS passes JVM options.
serve() {
  local cmd=(java ${PAXOSDNS_JAVA_OPTS:-} -jar "$jar" serve --config "$work/cluster/node$1/node.conf")
  [ -n "${2:-}" ] && cmd=(taskset -c "$2" "${cmd[@]}")
  "${cmd[@]}" > "$work/node$1.log" 2>&1 &
  node_pid=$!; pids+=("$node_pid")
}

dns_port() { echo $((base_port + 10 * $1)); }

# publish FILE [OPTIONS...]: publishes through the cluster's commander; prints the outcome line.
publish() {
  local file=$1; shift
  java -jar "$jar" publish --cluster "$work/cluster/cluster.json" \
    --key "$work/cluster/commander/commander.key" "$@" "$file"
}

# soa_serial PORT [ZONE]: the SOA serial served on 127.0.0.1:PORT, empty when none.
soa_serial() {
  dig +short +time=1 +tries=1 -p "$1" @127.0.0.1 "${2:-bench.test.}" SOA 2>/dev/null | awk '{print $3}'
}

# wait_serial PORT SERIAL SECONDS: waits until PORT serves SERIAL; fails after SECONDS.
wait_serial() {
  local end=$(( $(date +%s) + $3 ))
  while [ "$(soa_serial "$1")" != "$2" ]; do
    [ "$(date +%s)" -lt "$end" ] || { echo "timed out waiting for serial $2 on port $1" >&2; return 1; }
    sleep 0.1
  done
}

# build_jar: builds the jar when missing or stale (the same check as bin/paxosdns), unless PAXOSDNS_JAR is set.
build_jar() { [ -n "${PAXOSDNS_JAR:-}" ] || "$root/bin/paxosdns" --version > /dev/null; }

# wait_healthy NODES: every node's ops endpoint says healthy.
wait_healthy() {
  local i end=$(( $(date +%s) + 120 ))
  for i in $(seq 0 $(($1 - 1))); do
    until curl -sf "http://127.0.0.1:$((base_port + 10 * i + 3))/healthz" > /dev/null; do
      [ "$(date +%s)" -lt "$end" ] || { echo "node$i not healthy; log:" >&2; tail -20 "$work/node$i.log" >&2; return 1; }
      sleep 0.2
    done
  done
}
