#!/usr/bin/env bash
# The nightly-run benchmark: each step of the night alone, the whole night, and the next night after
# 1% of the source rows changed, on generated sources and clickstream, in one JVM; prints the
# ratios against their targets. Usage: bench/night.sh [bookings=200000] [HOCON overlay, e.g. 'catalog.spectrum.tables = []']. Works in bench/target/night-bench/.
source "$(dirname "$0")/lib.sh"
bench_run bench/target/night-bench NightBench "${1:-200000}" "${2:-}"
