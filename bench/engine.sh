#!/usr/bin/env bash
# Throughput of the consensus engine alone: 3 replicas in one JVM, 64-byte commands, batching.
# Usage: bench/engine.sh [seconds] [codec]   ("codec": every message through the protobuf codec)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -pl consensus-core -am test-compile >/dev/null
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
protobuf="$repo/com/google/protobuf/protobuf-java/4.28.3/protobuf-java-4.28.3.jar"
java -cp "consensus-core/target/test-classes:consensus-core/target/classes:proto/target/classes:$protobuf" \
  org.paxosdns.consensus.bench.EngineBench "${1:-10}" "${2:-}"
