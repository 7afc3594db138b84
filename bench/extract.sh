#!/usr/bin/env bash
# The extract benchmark: on a generated crs.booking, psql \copy to /dev/null (the ceiling), Spark's
# stock JDBC reader to Parquet, this project's full extract, and its incremental extracts after a
# 1% UPDATE scattered over the keys, 1% on the newest keys,
# 100 scattered rows, and nothing changed, each against the full one; at each scale given, on sources
# generated afresh. Usage: bench/extract.sh [bookings[,bookings...]=1000000,5000000] [rounds=1].
# Works in bench/target/extract-bench/.
source "$(dirname "$0")/lib.sh"
bench_run bench/target/extract-bench ExtractBench "${1:-1000000,5000000}" "${2:-1}"
