#!/usr/bin/env bash
# The nightly-run benchmark: each step of the night alone, the whole night, and the next night after
# 1% of the source rows changed, on generated sources and clickstream, in one JVM; prints the
# ratios against their targets. Usage: bench/night.sh [bookings=200000]. Works in bench/target/night-bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
home=bench/target/night-bench
if [ -f "$home/local/postgres/postmaster.pid" ]; then
  pg_ctl=$(ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)
  runuser -u postgres -- "$pg_ctl" -D "$home/local/postgres" -m fast -w stop || true
fi
mvn -B -q -ntp -o -DskipTests package -pl bench -am
# shellcheck disable=SC2046 # the flags file holds one line of space-separated JVM flags
exec java $(cat devtools/target/local-runtime/jvm-flags.txt) -Xmx6g \
  -Dlog4j2.configurationFile="$PWD/conf/log4j2-local.properties" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  com.treebo.dataplatform.bench.NightBench "${1:-200000}"
