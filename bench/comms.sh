#!/usr/bin/env bash
# Throughput of one encrypted pkt-comms connection over loopback (two nodes in one JVM):
# messages/s at 100 bytes and MB/s at 64 KiB. Usage: bench/comms.sh [seconds per run]
set -euo pipefail
cd "$(dirname "$0")/.."
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
mvn -B -q -pl pkt-comms -am -DskipTests package dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath > "$LOG" 2>&1 \
    || { cat "$LOG"; exit 1; }
CP="pkt-comms/target/test-classes:pkt-comms/target/classes:$(cat pkt-comms/target/bench.classpath)"
java -Xms1g -Xmx1g -Djava.util.logging.config.file=pkt-comms/src/test/resources/logging.properties \
    -cp "$CP" org.paxosdns.comms.CommsBench "${1:-10}"
