#!/usr/bin/env bash
# Clickstream landing -> lake.web_events -> sessions/fact/funnel on N synthetic events, against
# Spark reading and counting the same gzip JSON (the ceiling for this input format), in one JVM.
# Usage: bench/clickstream.sh [events, default 5000000] [workdir, default bench/target/clickstream]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o -DskipTests package -pl bench -am
# shellcheck disable=SC2046 # the flags file holds one line of space-separated JVM flags
exec java -Xmx4g $(cat devtools/target/local-runtime/jvm-flags.txt) -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  com.treebo.dataplatform.bench.ClickstreamBench "${1:-5000000}" "${2:-bench/target/clickstream}"
