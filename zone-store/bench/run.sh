#!/bin/sh
# Runs the zone-store benchmark (not part of mvn verify). From anywhere:
#   zone-store/bench/run.sh
# One reactor build compiles the tests and writes zone-store's test classpath (zone-store is
# the last module built, so its classpath file is the one left).
set -eu
cd "$(dirname "$0")/../.."
cp_file="$PWD/zone-store/target/bench.classpath"
mvn -B -q -pl zone-store -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
exec java -cp "zone-store/target/test-classes:zone-store/target/classes:$(cat "$cp_file")" \
  org.paxosdns.zonestore.bench.ZoneStoreBench
