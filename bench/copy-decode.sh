#!/usr/bin/env bash
# Read-only throughput of the binary COPY decoder (PgBinaryCopy) against text and binary COPY into a
# null sink, alternated in one JVM. Usage: bench/copy-decode.sh [rows] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -o -pl bench -am compile
flags=$(sed -n 's/.*<spark.jvm.flags>\(.*\)<\/spark.jvm.flags>.*/\1/p' pom.xml)
exec java -Xmx2g $flags -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  com.treebo.dataplatform.bench.CopyDecodeBench "${1:-1000000}" "${2:-3}"
