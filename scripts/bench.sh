#!/usr/bin/env bash
# Runs the benchmarks (JUnit tests tagged "benchmark") against their own database, downline_bench, and prints their
# report; docs/benchmarks.md records the numbers. Extra arguments go to Maven (e.g. -Dbench.nodes=100000).
set -euo pipefail
cd "$(dirname "$0")/.."
export TEST_DB_NAME=${BENCH_DB_NAME:-downline_bench}
scripts/ensure-db.sh "$TEST_DB_NAME"
exec mvn -B test -Pbench -Dsurefire.failIfNoSpecifiedTests=false "$@"
