#!/usr/bin/env bash
# One large model's backlog shared by workers: ROWS analysis rows in FILES files (`estimator generate --analysis-files`),
# 2,000-row chunks, work items of WORK_ITEM_ROWS rows. Times, from the start of the processes until the store is complete
# (every chunk's estimate file written, no work item pending):
#   - `estimator run` (one process, the run kept whole: no Hangfire, no split),
#   - `estimator serve` on Hangfire.InMemory (one process: the items run on its other Hangfire workers),
#   - 1, 2 and 3 `estimator serve --role worker` processes on one PostgreSQL database (a web process registers the jobs).
# Prints seconds and, per worker process, how many work items it ran.
# Usage (as root, after `apt-get install postgresql` and `dotnet build -c Release src/Estimator.Cli`):
#   tests/scale/bench-backlog.sh [ROWS=1000000] [FILES=20] [WORK_ITEM_ROWS=50000]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-1000000}; files=${2:-20}; item_rows=${3:-50000}
cli=$(pwd)/src/Estimator.Cli/bin/Release/net10.0/estimator.dll
source tests/scale/throwaway-postgres.sh backlog

dotnet "$cli" generate --scenario stable --rows "$rows" --analysis-files "$files" --out "$work/inputs" >/dev/null
mv "$work/inputs/analysis" "$work/inputs/backlog"; mkdir "$work/inputs/analysis"
touch -d '-5 minutes' "$work"/inputs/backlog/*
expected=$(( (rows + 1999) / 2000 ))
config() { # $1 dir, $2 storage
  mkdir -p "$1"; cat > "$1/estimator.yaml" <<YAML
store: ./store
storage: $2
work_item_rows: $item_rows
models:
  - name: big
    reference: $work/inputs/reference.parquet
    analysis: $work/inputs/analysis/*.parquet
    id_column: id
    columns: { y_pred_proba: y_pred_proba, y_pred: y_pred, y_true: y_true, timestamp: timestamp }
    chunking: { size: 2000 }
    schedule: "*/1 * * * * *"
YAML
}
complete() { # $1 store: every chunk written and the run settled
  [ "$(find "$1/big/estimates/analysis" -name 'chunk-*.parquet' 2>/dev/null | wc -l)" -ge "$expected" ] \
    && grep -q '"pending": \[\]' "$1/big/state.json" 2>/dev/null && [ -z "$(ls -A "$1/big/pending" 2>/dev/null)" ]
}
items() { grep -cE 'estimate big run[0-9]+-item[0-9]+: [0-9]+ chunk' "$1" || true; }
# The model is fitted once (no analysis yet); every timing below starts from a copy of that store, with the processes
# already running, when the backlog is moved into the analysis folder, and ends when the store is complete.
config "$work/fit" "{ kind: inmemory }"
dotnet "$cli" run --config "$work/fit/estimator.yaml" >/dev/null
release() { mv "$work"/inputs/backlog/* "$work/inputs/analysis/"; }
reset() { mv "$work"/inputs/analysis/* "$work/inputs/backlog/"; }

config "$work/single" "{ kind: inmemory }"; cp -r "$work/fit/store" "$work/single/"
release; start=$(date +%s.%N); dotnet "$cli" run --config "$work/single/estimator.yaml" >/dev/null; end=$(date +%s.%N); reset
printf 'estimator run (1 process, run kept whole, includes .NET start-up): %d rows in %.1f s\n' "$rows" "$(echo "$end - $start" | bc)"

config "$work/mem" "{ kind: inmemory }"; cp -r "$work/fit/store" "$work/mem/"
dotnet "$cli" serve --config "$work/mem/estimator.yaml" --urls http://127.0.0.1:0 >"$work/mem/serve.log" 2>&1 & serve=$!; pids+=("$serve"); sleep 6
release; start=$(date +%s.%N)
until complete "$work/mem/store"; do sleep 0.1; done; end=$(date +%s.%N); kill "$serve"; wait "$serve" 2>/dev/null || true; reset
printf 'estimator serve, Hangfire.InMemory (1 process): %.1f s (work items run by queued jobs: %s)\n' "$(echo "$end - $start" | bc)" "$(items "$work/mem/serve.log")"

for n in 1 2 3; do
  db=backlog_$n
  psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE $db" postgres
  config "$work/w$n" "{ kind: postgres, connection: \"Host=127.0.0.1;Port=$port;Username=postgres;Database=$db\" }"; cp -r "$work/fit/store" "$work/w$n/"
  dotnet "$cli" serve --role web --config "$work/w$n/estimator.yaml" --urls http://127.0.0.1:0 >/dev/null 2>&1 &
  web=$!; pids+=("$web"); sleep 4
  workers=()
  for i in $(seq 1 "$n"); do dotnet "$cli" serve --role worker --config "$work/w$n/estimator.yaml" --urls http://127.0.0.1:0 >"$work/w$n/worker$i.log" 2>&1 & workers+=($!); pids+=($!); done
  sleep 8; release; start=$(date +%s.%N)
  until complete "$work/w$n/store"; do sleep 0.1; done
  end=$(date +%s.%N); reset
  spread=$(for i in $(seq 1 "$n"); do items "$work/w$n/worker$i.log"; done | paste -sd/)
  kill "${workers[@]}" "$web"; wait "${workers[@]}" "$web" 2>/dev/null || true
  printf '%d worker(s): %.1f s (work items run by queued jobs, per worker: %s)\n' "$n" "$(echo "$end - $start" | bc)" "$spread"
done
