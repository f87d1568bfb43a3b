#!/usr/bin/env bash
# Wall time of a scan of every kind against a KMS-only scan at the same
# settings, over the fixture organisation in moto (behind the stand-in proxy
# that answers what moto lacks), best of three runs each.
#
# usage: host/benches/estate-wall-time.sh [keyaudit binary]
# (default binary: target/release/keyaudit, else target/debug/keyaudit; run
# `make build` or `cargo build --release` first)
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.venv
bin=${1:-}
if [ -z "$bin" ]; then
  bin=target/release/keyaudit
  [ -x "$bin" ] || bin=target/debug/keyaudit
fi
work=$(mktemp -d)
free_port() { "$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
moto_port=$(free_port)
"$venv/bin/moto_server" -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
moto_pid=$!
proxy_port=$(free_port)
"$venv/bin/python" tests/support/fault_proxy.py --upstream "http://127.0.0.1:$moto_port" --port "$proxy_port" >"$work/proxy.log" 2>&1 &
proxy_pid=$!
trap 'kill $moto_pid $proxy_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$moto_port/moto-api/" >/dev/null 2>&1 && break; sleep 0.1; done
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$proxy_port/__proxy/log" >/dev/null 2>&1 && break; sleep 0.1; done
"$venv/bin/python" tests/fixtures/moto_org.py --endpoint "http://127.0.0.1:$moto_port" --manifest "$work/manifest.json" >/dev/null
"$venv/bin/python" -c 'import json, sys; print(json.dumps({"seed": 0, "faults": json.load(open(sys.argv[1]))["stand_in"]}))' \
  "$work/manifest.json" | curl -fs -X POST --data-binary @- "http://127.0.0.1:$proxy_port/__proxy/config" >/dev/null

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
scan() { # label [scan args…]
  local label=$1 best=""
  shift
  for run in 1 2 3; do
    local start end took
    start=$(date +%s.%N)
    "$bin" scan --endpoint-url "http://127.0.0.1:$proxy_port" --regions us-east-1,eu-west-1 \
      -o "$work/out-$label-$run" --log-level error "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    took=$(calc "$end - $start")
    if [ -z "$best" ] || [ "$(calc "int($took < $best)")" = 1 ]; then best=$took; fi
  done
  echo "$best"
}
calc() { "$venv/bin/python" -c "print(round($1, 2))"; }
kms=$(scan kms --services kms)
every=$(scan all)
echo "binary: $bin"
echo "KMS only:   ${kms} s"
echo "every kind: ${every} s"
echo "ratio:      $(calc "$every / $kms")x"
