#!/usr/bin/env bash
# The extract benchmark: on a generated crs.booking, psql \copy to /dev/null (the ceiling), Spark's
# stock JDBC reader to Parquet, this project's full extract, a 1% UPDATE and the incremental
# extract, alternated per round in one JVM; prints rows/s and the ratios against their targets.
# Usage: bench/extract.sh [bookings=5000000] [rounds=1]. Works in bench/target/extract-bench/.
source "$(dirname "$0")/lib.sh"
bench_run bench/target/extract-bench ExtractBench "${1:-5000000}" "${2:-1}"
