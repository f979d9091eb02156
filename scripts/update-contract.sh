#!/usr/bin/env bash
# Regenerates the OpenAPI document from the code and makes it the committed contract (openapi/openapi.yaml).
# Review the diff: every change in it is a change that mobile, SPA and integrator clients will see.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -Dmaven.test.skip=true -Dcodegen.skip=true
# Written from the generated JSON with dates quoted (see ContractYaml.java), with the libraries the build just packaged.
java -cp 'target/quarkus-app/lib/main/*' scripts/ContractYaml.java target/openapi/openapi.json openapi/openapi.yaml
git --no-pager diff --stat -- openapi/openapi.yaml || true
