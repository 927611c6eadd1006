#!/usr/bin/env bash
# Throughput of 1, 2 and 3 `estimator serve --role worker` processes sharing one PostgreSQL database and one store:
# MODELS copies of the car-loan model, each over the demo's five seed files (50,000 rows, 2,000-row chunks).
# Prints seconds from the workers' start until every model's store is complete, and models per second.
# Usage (as root, after `apt-get install postgresql` and `dotnet build Estimator.sln`):
#   tests/scale/bench-workers.sh [MODELS=40]
set -euo pipefail
cd "$(dirname "$0")/../.."
models=${1:-40}
cli=$(pwd)/tests/Estimator.Host.Tests/bin/Debug/net10.0/estimator.dll
source tests/scale/throwaway-postgres.sh bench

mkdir -p "$work/inputs/analysis"
cp datasets/car_loan/reference.parquet "$work/inputs/"
cp datasets/demo/incoming/car_loan/analysis/part-0[1-5].parquet "$work/inputs/analysis/"
touch -d '-5 minutes' "$work"/inputs/analysis/*
config() { # $1 dir, $2 storage
  mkdir -p "$1"; { echo "store: ./store"; echo "storage: $2"; echo "models:"
  for i in $(seq -w 1 "$models"); do cat <<YAML
  - name: m$i
    reference: $work/inputs/reference.parquet
    analysis: $work/inputs/analysis/*.parquet
    id_column: id
    columns: { y_pred_proba: y_pred_proba, y_pred: y_pred, y_true: repaid, timestamp: timestamp }
    chunking: { size: 2000 }
    schedule: "*/5 * * * * *"
YAML
  done; } > "$1/estimator.yaml"; }

config "$work/single" "{ kind: inmemory }"
start=$(date +%s.%N); dotnet "$cli" run --config "$work/single/estimator.yaml" >/dev/null; end=$(date +%s.%N)
expected=$(find "$work/single/store" -name 'chunk-*.parquet' | wc -l)
printf 'estimator run (1 process, no Hangfire): %d models in %.1f s\n' "$models" "$(echo "$end - $start" | bc)"

for n in 1 2 3; do
  db=bench_$n
  psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE $db" postgres
  config "$work/w$n" "{ kind: postgres, connection: \"Host=127.0.0.1;Port=$port;Username=postgres;Database=$db\" }"
  dotnet "$cli" serve --role web --config "$work/w$n/estimator.yaml" --urls http://127.0.0.1:0 >/dev/null 2>&1 &  # creates the schema, registers the jobs
  web=$!; pids+=("$web"); sleep 4
  start=$(date +%s.%N); workers=()
  for i in $(seq 1 "$n"); do dotnet "$cli" serve --role worker --config "$work/w$n/estimator.yaml" --urls http://127.0.0.1:0 >"$work/w$n/worker$i.log" 2>&1 & workers+=($!); pids+=($!); done
  until [ "$(find "$work/w$n/store" -name 'chunk-*.parquet' 2>/dev/null | wc -l)" -ge "$expected" ] && [ "$(find "$work/w$n/store" -name state.json | wc -l)" -ge "$models" ]; do sleep 0.2; done
  end=$(date +%s.%N)
  spread=$(for i in $(seq 1 "$n"); do grep -cE 'estimate m[0-9]+: run [^,]+, [1-9]' "$work/w$n/worker$i.log" || true; done | paste -sd/)
  kill "${workers[@]}" "$web"; wait "${workers[@]}" "$web" 2>/dev/null || true
  secs=$(echo "$end - $start" | bc)
  printf '%d worker(s): %d models in %.1f s (%.2f models/s; models estimated per worker: %s)\n' "$n" "$models" "$secs" "$(echo "$models / $secs" | bc -l)" "$spread"
done
