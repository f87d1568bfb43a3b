#!/usr/bin/env bash
# Builds built-in rules as they were at a git revision, so the benchmark can
# time them beside today's build in one run:
#
#   host/benches/build-rules-at.sh afa3c77 target/rules-v0.2 kms-rotation-enabled kms-key-not-public
#   BENCH_COMPARE=target/rules-v0.2 cargo bench --bench rule_throughput
#
# afa3c77 is the last revision whose rules were built against contract 0.2.
set -euo pipefail
rev=$1 out=$2
shift 2
root=$(git rev-parse --show-toplevel)
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
git -C "$root" archive "$rev" rules-wasm wit | tar -x -C "$tree"
packages=()
for rule in "$@"; do packages+=(-p "$rule"); done
target="$root/target/rules-at-$rev"
(cd "$tree/rules-wasm" && CARGO_TARGET_DIR="$target" cargo build --release --quiet "${packages[@]}")
mkdir -p "$out"
for rule in "$@"; do
  cp "$target/wasm32-wasip2/release/${rule//-/_}.wasm" "$out/$rule.wasm"
done
echo "built ${*} at $rev into $out"
