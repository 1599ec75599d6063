#!/usr/bin/env bash
# A 3-member etcd 3.4 cluster (Debian's etcd-server) on loopback in a temporary directory, driven at
# its maximum, then stopped. Usage:
#   bench/etcd.sh load [commands] [clients] [warmup]   our client: 256-byte puts over the v3 JSON gateway (bin/paxosdns bench etcd)
#   bench/etcd.sh perf                        etcdctl check perf --load=xl (60 s)
# Environment: ETCD_BASE_PORT (default 32379; member i uses BASE+10i for clients, BASE+10i+1 for peers).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-load}"
commands="${2:-100000}"
clients="${3:-256}"
warmup="${4:-600000}"
base="${ETCD_BASE_PORT:-32379}"
command -v etcd >/dev/null || { echo "etcd.sh: install etcd-server and etcd-client (apt-get install -y etcd-server etcd-client)" >&2; exit 2; }

dir="$(mktemp -d "${TMPDIR:-/tmp}/paxosdns-etcd.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT

cluster="" endpoints=""
for i in 0 1 2; do
  cluster+="${cluster:+,}m$i=http://127.0.0.1:$((base + 10 * i + 1))"
  endpoints+="${endpoints:+,}127.0.0.1:$((base + 10 * i))"
done
for i in 0 1 2; do
  client="http://127.0.0.1:$((base + 10 * i))" peer="http://127.0.0.1:$((base + 10 * i + 1))"
  etcd --name "m$i" --data-dir "$dir/m$i" \
    --listen-client-urls "$client" --advertise-client-urls "$client" \
    --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
    --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token paxosdns-bench \
    --quota-backend-bytes $((8 * 1024 * 1024 * 1024)) --logger zap --log-outputs "$dir/m$i.log" >/dev/null 2>&1 &
  pids+=($!)
done
for _ in $(seq 1 120); do
  ETCDCTL_API=3 etcdctl --endpoints="$endpoints" endpoint health >/dev/null 2>&1 && break
  sleep 0.5
done
ETCDCTL_API=3 etcdctl --endpoints="$endpoints" endpoint health >&2

case "$mode" in
  load) "$root/bin/paxosdns" bench etcd --endpoints "$endpoints" --commands "$commands" --clients "$clients" --warmup "$warmup" \
          --member-pids "$(IFS=,; echo "${pids[*]}")" ;;
  perf) ETCDCTL_API=3 etcdctl --endpoints="$endpoints" check perf --load=xl
        echo "bench etcd-perf: load=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ',')" ;;
  *) echo "etcd.sh: unknown mode $mode (load or perf)" >&2; exit 2 ;;
esac
