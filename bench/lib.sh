#!/usr/bin/env bash
# The prologue every benchmark script shares; source it, then call bench_run.
#   bench_run WORKDIR CLASS [ARGS...]
# runs from the repository root: stops a local PostgreSQL that an interrupted invocation left running
# in WORKDIR (it would hold the folder this run starts afresh), builds the bench module and its
# dependencies offline, and replaces the shell with the benchmark's JVM (the local-runtime JVM
# flags, 6 GB of heap, the local log configuration).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bench_run() {
  local home=$1 class=$2
  shift 2
  if [ -f "$home/local/postgres/postmaster.pid" ]; then
    local pg_ctl
    pg_ctl=$(ls -d /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)
    runuser -u postgres -- "$pg_ctl" -D "$home/local/postgres" -m fast -w stop || true
  fi
  mvn -B -q -ntp -o -DskipTests package -pl bench -am
  # shellcheck disable=SC2046 # the flags file holds one line of space-separated JVM flags
  exec java $(cat devtools/target/local-runtime/jvm-flags.txt) -Xmx6g \
    -Dlog4j2.configurationFile="$PWD/conf/log4j2-local.properties" \
    -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
    "com.treebo.dataplatform.bench.$class" "$@"
}
