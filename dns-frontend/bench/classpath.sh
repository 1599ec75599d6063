#!/bin/sh
# Prints the runtime class path of dns-frontend's test mains (ServeZonesMain, GenerateZoneMain),
# from the build output and the jars the build already put in ~/.m2 (versions of the root pom).
# Run `mvn -B -q -pl dns-frontend -am test-compile` first.
set -e
here=$(cd "$(dirname "$0")/.." && pwd)
m2=${M2_REPO:-$HOME/.m2/repository}
netty=4.1.118.Final
cp="$here/target/classes:$here/target/test-classes:$here/../zone-store/target/classes"
for a in netty-common netty-buffer netty-resolver netty-transport netty-codec netty-handler \
         netty-transport-native-unix-common netty-transport-classes-epoll netty-transport-native-epoll; do
  cp="$cp:$m2/io/netty/$a/$netty/$a-$netty.jar"
done
cp="$cp:$m2/io/netty/netty-transport-native-epoll/$netty/netty-transport-native-epoll-$netty-linux-x86_64.jar"
cp="$cp:$m2/dnsjava/dnsjava/3.6.3/dnsjava-3.6.3.jar:$m2/org/slf4j/slf4j-api/1.7.36/slf4j-api-1.7.36.jar"
cp="$cp:$m2/com/github/ben-manes/caffeine/caffeine/3.1.8/caffeine-3.1.8.jar"
echo "$cp"
