#!/usr/bin/env bash
# Regenerates the OpenAPI document from the code and makes it the committed contract (openapi/openapi.yaml).
# Review the diff: every change in it is a change that mobile, SPA and integrator clients will see.
set -euo pipefail
cd "$(dirname "$0")/.."
# The package build writes target/openapi/openapi.yaml from the generated JSON with dates quoted (scripts/ContractYaml.java,
# run by the pom's contract-yaml step), the form the committed contract takes.
mvn -B -q package -Dmaven.test.skip=true -Dcodegen.skip=true
cp target/openapi/openapi.yaml openapi/openapi.yaml
git --no-pager diff --stat -- openapi/openapi.yaml || true
