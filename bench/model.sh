#!/usr/bin/env bash
# The star-schema benchmark: the floor (the lake tables the facts need read, the facts' rows written
# once as Parquet), the full model build, then a 1% night and the incremental build, on generated
# sources in one JVM; prints rows/s, the ratios against their targets and the profile of both
# builds. Usage: bench/model.sh [bookings=5000000]. Works in bench/target/model-bench/.
source "$(dirname "$0")/lib.sh"
bench_run bench/target/model-bench ModelBench "${1:-5000000}"
