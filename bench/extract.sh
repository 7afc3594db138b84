#!/usr/bin/env bash
# The extract benchmark: on a generated crs.booking, psql \copy to /dev/null (the ceiling), Spark's
# stock JDBC reader to Parquet, this project's full extract, a 1% UPDATE and the incremental
# extract, alternated per round in one JVM; prints rows/s and the ratios against their targets.
# Usage: bench/extract.sh [bookings=5000000] [rounds=1]. Works in bench/target/extract-bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
home=bench/target/extract-bench
# A server left running by an interrupted invocation would hold the folder this run starts afresh.
if [ -f "$home/local/postgres/postmaster.pid" ]; then
  pg_ctl=$(ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)
  runuser -u postgres -- "$pg_ctl" -D "$home/local/postgres" -m fast -w stop || true
fi
mvn -B -q -ntp -o -DskipTests package -pl bench -am
# shellcheck disable=SC2046 # the flags file holds one line of space-separated JVM flags
exec java $(cat devtools/target/local-runtime/jvm-flags.txt) -Xmx6g \
  -Dlog4j2.configurationFile="$PWD/conf/log4j2-local.properties" \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  com.treebo.dataplatform.bench.ExtractBench "${1:-5000000}" "${2:-1}"
