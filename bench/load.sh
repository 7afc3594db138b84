#!/usr/bin/env bash
# The warehouse-load benchmark: psql \copy, the stock JDBC writer and this loader (full, then after a
# 1% night) on the fact_room_night rows of generated sources, in one JVM; prints the ratios
# against their targets. Usage: bench/load.sh [bookings=232000]. Works in bench/target/load-bench/.
source "$(dirname "$0")/lib.sh"
bench_run bench/target/load-bench LoadBench "${1:-232000}"
