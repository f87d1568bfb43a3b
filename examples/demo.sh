#!/usr/bin/env bash
# End-to-end demo: a moto AWS Organization → keyaudit scan (inventory, then the
# WebAssembly rules) → Parquet in S3 and a local folder → a DuckDB query with
# the SQL we ship for Athena → the executive report (HTML, PDF, Markdown).
# Run through `make demo`, which installs .venv and builds keyaudit first.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
work=target/demo
rm -rf "$work" && mkdir -p "$work"
port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
endpoint="http://127.0.0.1:$port"

"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
trap 'kill $moto_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -fs "$endpoint/moto-api/" >/dev/null 2>&1 && break
  sleep 0.1
done

echo "== building a demo organisation in moto at $endpoint"
"$venv/bin/python" tests/fixtures/moto_org.py --endpoint "$endpoint" --manifest "$work/manifest.json"

# moto implements no GetKeyLastUsage, LookupEvents, Config compliance or
# conformance packs: our stand-in proxy answers those with the fixture's
# recorded responses (the real APIs' documented shapes) and forwards the rest.
proxy_port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stand_in="http://127.0.0.1:$proxy_port"
"$venv/bin/python" tests/support/fault_proxy.py --upstream "$endpoint" --port "$proxy_port" >"$work/stand-in.log" 2>&1 &
proxy_pid=$!
trap 'kill $moto_pid $proxy_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -fs "$stand_in/__proxy/log" >/dev/null 2>&1 && break
  sleep 0.1
done
"$venv/bin/python" -c 'import json, sys; print(json.dumps({"seed": 0, "faults": json.load(open(sys.argv[1]))["stand_in"]}))' \
  "$work/manifest.json" | curl -fs -X POST --data-binary @- "$stand_in/__proxy/config" >/dev/null

echo
echo "== keyaudit scan --config examples/demo.toml --endpoint-url $stand_in"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
status=0
target/debug/keyaudit scan --config examples/demo.toml --endpoint-url "$stand_in" --log-level warn || status=$?

echo
echo "== DuckDB (Athena stand-in): examples/athena/queries/compliance_by_rule.sql over $work/out"
"$venv/bin/python" tests/support/duckdb_query.py "$work/out" --file examples/athena/queries/compliance_by_rule.sql --format table

echo
echo "== keyaudit report --from s3://keyaudit-results/keyaudit: HTML, PDF and Markdown"
target/debug/keyaudit report --from s3://keyaudit-results/keyaudit --endpoint-url "$stand_in" \
  --out "$work/report.html" --pdf "$work/report.pdf"
target/debug/keyaudit report --from s3://keyaudit-results/keyaudit --endpoint-url "$stand_in" \
  --format md --out "$work/report.md"
sed -n '1,/^## Top failing rules/p' "$work/report.md" | sed '$d'
echo "open $work/report.html or $work/report.pdf for the whole report"
exit "$status"
