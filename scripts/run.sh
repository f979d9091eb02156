#!/usr/bin/env bash
# Runs Downline locally: makes sure PostgreSQL answers and the database exists, then starts Quarkus in dev mode
# (live reload) with demo data, a generated signing key pair in .keys/ and Swagger UI. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-db.sh "${DB_NAME:-downline}"
exec mvn -B quarkus:dev -Dquarkus.console.enabled=false "$@"
