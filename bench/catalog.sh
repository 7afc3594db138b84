#!/usr/bin/env bash
# What keeping the model readable by Redshift Spectrum costs a night: the model built fully and after a
# 1% night three ways on the same lake (nothing listed; listed without deletion vectors, as shipped;
# deletion vectors purged and manifests generated after each build), and what publishing current
# metastore entries costs. Usage: bench/catalog.sh [bookings=1000000]. Works in bench/target/catalog-bench/.
source "$(dirname "$0")/lib.sh"
bench_run bench/target/catalog-bench CatalogBench "${1:-1000000}"
