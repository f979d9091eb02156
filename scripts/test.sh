#!/usr/bin/env bash
# Runs the whole test suite: makes sure PostgreSQL answers and the test database exists, then runs Maven.
# The tests clean that database when they start and leave it empty when they end. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-db.sh "${TEST_DB_NAME:-downline_test}"
exec mvn -B test "$@"
