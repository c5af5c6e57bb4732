#!/usr/bin/env bash
# Runs a Junction benchmark, or the fault suite, against the local PostgreSQL and prints figures.
#   deploy/bench/run.sh webhook-ingest [--seconds 15] [--concurrency 1,4,16] [--sse-clients 10]
#   deploy/bench/run.sh cohort-sync [--members 1000000]; deploy/bench/run.sh object-sync [--rows 1000000]
#   deploy/bench/run.sh faults [kill-ingest] [postgres-restart] ...   (exits non-zero on a failure)
# Builds what it needs first (server jar, plugins, this module) unless --no-build is given.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ "${1:-}" == "--no-build" ]]; then shift; else
  mvn -B -q -ntp package -DskipTests -pl platform/server,plugins/sendgrid,deploy/bench -am
fi
# The build (this script's, or `mvn verify`/`package` of the whole project) writes the classpath file.
if [[ ! -s deploy/bench/target/classpath.txt ]]; then
  echo "run.sh: deploy/bench/target/classpath.txt is missing; build first: mvn -B package -DskipTests" >&2
  exit 2
fi
main=dev.junction.bench.Bench
if [[ "${1:-}" == "faults" ]]; then shift; main=dev.junction.bench.FaultSuite; fi
exec java -Xmx1g -cp "deploy/bench/target/classes:$(cat deploy/bench/target/classpath.txt)" "$main" "$@"
