#!/usr/bin/env bash
# The online path's load test (loopback only, bounded in time): starts `estimator serve` with one binary model posted
# to online (the car-loan reference, window N), then runs the load generator of tests/Estimator.Benchmarks
# (`online-load`): CONNECTIONS clients post pre-built batches of BATCH rows for SECONDS seconds while one client polls
# GET /online. Prints sustained acknowledged rows/s, the ack and refreshed-estimate latencies, and the host's CPU.
# Usage (after `dotnet build src/Estimator.Cli -c Release && dotnet build tests/Estimator.Benchmarks -c Release`):
#   tests/scale/bench-online.sh [WINDOWS="5000 50000"]
# Environment: SECONDS_PER_RUN=20, CONNECTIONS=8, BATCH=5000, PORT=5391, KEEP=1 (keep the work directory).
set -euo pipefail
cd "$(dirname "$0")/../.."
windows=${1:-5000 50000}
seconds=${SECONDS_PER_RUN:-20}
connections=${CONNECTIONS:-8}
batch=${BATCH:-5000}
port=${PORT:-5391}
cli=$(pwd)/src/Estimator.Cli/bin/Release/net10.0/estimator.dll
bench=$(pwd)/tests/Estimator.Benchmarks/bin/Release/net10.0/Estimator.Benchmarks.dll
[ -f "$cli" ] && [ -f "$bench" ] || { echo "build first: $cli and $bench" >&2; exit 1; }
work=$(mktemp -d /tmp/estimator-online-XXXX)
host=""
cleanup() { [ -n "$host" ] && kill "$host" 2>/dev/null || true; [ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"; }
trap cleanup EXIT
for n in $windows; do
  dir="$work/n$n"
  mkdir -p "$dir"
  cat > "$dir/estimator.yaml" <<YAML
store: ./store
models:
  - name: load
    reference: $(pwd)/datasets/car_loan/reference.parquet
    id_column: id
    columns: { y_pred_proba: y_pred_proba, y_pred: y_pred, y_true: repaid, timestamp: timestamp }
    metrics: [roc_auc, precision, recall, f1, accuracy, specificity]
    schedule: "*/5 * * * * *"
    slos: [{ metric: roc_auc, objective: 0.969 }]
    online: { window: $n, max_body_bytes: 67108864 }
YAML
  dotnet "$cli" serve --config "$dir/estimator.yaml" --urls "http://127.0.0.1:$port" > "$dir/serve.log" 2>&1 &
  host=$!
  until curl -sf "http://127.0.0.1:$port/v1/models/load/online" > /dev/null; do sleep 0.5; done
  cpu0=$(awk '{print $14 + $15}' /proc/$host/stat)
  echo "== window N = $n (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  dotnet "$bench" online-load "http://127.0.0.1:$port" load "$seconds" "$connections" "$batch"
  cpu1=$(awk '{print $14 + $15}' /proc/$host/stat)
  echo "host CPU: $(( (cpu1 - cpu0) / $(getconf CLK_TCK) )) s over ${seconds} s; chunks closed: $(ls "$dir/store/load/online/inbox" | wc -l)"
  kill "$host"; wait "$host" 2>/dev/null || true; host=""
done
