#!/usr/bin/env bash
# Validates the Prometheus rules and config and runs the rules' unit tests (CI: .ci/run).
# Needs promtool (Debian: apt-get install prometheus).
set -euo pipefail
cd "$(dirname "$0")"
promtool check rules junction.rules.yml
promtool test rules junction.rules.test.yml
# the compose config refers to the rules by their path in the container: check it against a copy
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp junction.rules.yml "$tmp/"
sed "s#/etc/prometheus/#$tmp/#" prometheus.yml > "$tmp/prometheus.yml"
promtool check config "$tmp/prometheus.yml"
# (prometheus.k8s.yml is not checked here: Debian builds Prometheus without Kubernetes discovery)
# the Kubernetes ConfigMap must carry the same rules as this file
if ! python3 - "$PWD/../k8s/monitoring/prometheus-config.yaml" junction.rules.yml <<'PY'
import sys, re
cm, rules = open(sys.argv[1]).read(), open(sys.argv[2]).read()
# the rules are embedded verbatim, indented by four spaces, under junction.rules.yml: |
block = cm.split("junction.rules.yml: |\n", 1)[1]
lines = []
for line in block.split("\n"):
    if line.strip() and not line.startswith("    "):
        break
    lines.append(line[4:])
sys.exit(0 if "\n".join(lines).strip() == rules.strip() else 1)
PY
then
  echo "deploy/k8s/monitoring/prometheus-config.yaml is out of date: run deploy/prometheus/sync-k8s.sh" >&2
  exit 1
fi
echo "prometheus rules: OK"
