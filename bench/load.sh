#!/usr/bin/env bash
# The warehouse-load benchmark: psql \copy, the stock JDBC writer and this loader (full, then after a
# 1% night) on the fact_room_night rows of generated sources, in one JVM; prints the ratios
# against their targets. Usage: bench/load.sh [bookings=232000]. Works in bench/target/load-bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
home=bench/target/load-bench
if [ -f "$home/local/postgres/postmaster.pid" ]; then
  pg_ctl=$(ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)
  runuser -u postgres -- "$pg_ctl" -D "$home/local/postgres" -m fast -w stop || true
fi
mvn -B -q -ntp -o -DskipTests package -pl bench -am
# shellcheck disable=SC2046 # the flags file holds one line of space-separated JVM flags
exec java $(cat devtools/target/local-runtime/jvm-flags.txt) -Xmx6g \
  -Dlog4j2.configurationFile="$PWD/conf/log4j2-local.properties" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  com.treebo.dataplatform.bench.LoadBench "${1:-232000}"
