#!/usr/bin/env bash
# Write throughput of paxosdns beside etcd, back to back on this machine: a 3-node paxosdns cluster
# (separate processes) and a 3-member etcd 3.4, each driven by the same closed-loop client model
# (256-byte values, the same number of writes and of concurrent clients). Prints both lines and the ratio.
# Usage: bench/write-path.sh [commands] [clients] [warmup]   (defaults 100000, 256, 600000; the same warm-up for both:
# the nodes' JIT reaches its steady state after about 600,000 writes, see BenchCommand)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
commands="${1:-100000}"
clients="${2:-256}"
warmup="${3:-600000}"
"$root/bin/paxosdns" --version >/dev/null   # builds the jar first, outside the timed runs
echo "write-path: $(uptime)" >&2
paxos="$("$root/bin/paxosdns" bench log --commands "$commands" --clients "$clients" --warmup "$warmup" | tail -1)"
echo "write-path: $(uptime)" >&2
etcd="$("$root/bench/etcd.sh" load "$commands" "$clients" "$warmup" | tail -1)"
rate() { sed -n 's/.* writes\/s=\([0-9]*\) .*/\1/p' <<<"$1"; }
echo "$paxos"
echo "$etcd"
awk -v p="$(rate "$paxos")" -v e="$(rate "$etcd")" 'BEGIN { printf "write-path: paxosdns/etcd writes/s = %d/%d = %.2fx\n", p, e, p / e }'
