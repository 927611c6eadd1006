#!/usr/bin/env bash
# One job-host cycle at scale: MODELS configured models, each with its own analysis folder (all sharing the car-loan
# reference file), each receiving one new 10,000-row Parquet file per cycle (the demo's part-01..05 in turn, so the
# timestamps move forward). Measures the seconds from the moment every model's new file is in place (renamed in, with a
# modification time old enough to count as settled) until every model's store holds the new final chunk AND the model's
# alerts/flags.json was written after it (the estimate job, alert evaluation included, has finished):
#   run:   `estimator run` (one process, no Hangfire) started once per cycle; cycle 1 fits every model.
#   serve: `estimator serve` (Hangfire.InMemory) running throughout, its recurring jobs firing on SCHEDULE; cycle 1
#          (from process start) fits every model.
# Cycle 1 (fitting) is reported separately; cycles 2..5 are the steady-state cycles. It also reports the CPU seconds
# the process used per cycle and, for serve, while idle (no new files) between cycles.
# Usage (after `dotnet build src/Estimator.Cli -c Release`):
#   tests/scale/bench-cycle.sh [MODELS=1000]
# Environment: MODES="run serve" (which, in that order), CHUNK=10000 (chunk size; 2000 gives 5 chunks per file),
#   SCHEDULE="*/5 * * * * *" (cron of the serve jobs), IDLE=10 (seconds serve idles after each cycle),
#   KEEP=1 (keep the work directory), CLI=path/to/estimator.dll,
#   HISTORY=0 (chunks of history every model's store holds before cycle 1: one model's store is built once from
#   copies of part-01 and cloned, hard-linked, to every model; so cycle 1 fits nothing and every cycle pays the history),
#   TEMPLATE_CLI=path/to/estimator.dll (the build that writes that store, default CLI: an older build's store layout is
#   then migrated by cycle 1),
#   LINK=1 (each cycle's file reaches the models as hard links of one back-dated copy instead of one copy per model:
#   the same bytes and times, without 420 KB of disk per model and cycle; for 10,000 models).
set -euo pipefail
cd "$(dirname "$0")/../.."
models=${1:-1000}
modes=${MODES:-run serve}
chunk=${CHUNK:-10000}
schedule=${SCHEDULE:-"*/5 * * * * *"}
idle=${IDLE:-10}
history=${HISTORY:-0}
cli=${CLI:-$(pwd)/src/Estimator.Cli/bin/Release/net10.0/estimator.dll}
[ -f "$cli" ] || { echo "build first: dotnet build src/Estimator.Cli -c Release ($cli missing)" >&2; exit 1; }
parts=(datasets/demo/incoming/car_loan/analysis/part-0{1,2,3,4,5}.parquet)
work=$(mktemp -d /tmp/estimator-cycle-XXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"; }
trap cleanup EXIT
cp datasets/car_loan/reference.parquet "$work/reference.parquet"

# helper.py drop DIR CYCLE FILE  : copies FILE once per model into DIR/staging (LINK=1: one copy, hard-linked per model),
#                                 back-dates it, renames it into each model's folder and prints the wall-clock time right
#                                 after the last rename.
# helper.py wait DIR INDEX T0 [PID]: waits until every model has chunk INDEX and a later flags.json; prints seconds since T0
#                                 (stops when process PID has exited; PID 0: checks once).
# helper.py cpu PID             : utime+stime of PID in seconds.
cat >"$work/helper.py" <<'PY'
import os, shutil, sys, time
cmd, args = sys.argv[1], sys.argv[2:]
def models(d): return sorted(n for n in os.listdir(os.path.join(d, "in")))
if cmd == "drop":
    d, cycle, src = args
    staging = os.path.join(d, "staging"); os.makedirs(staging, exist_ok=True)
    old = time.time() - 300
    names = models(d)
    link = os.environ.get("LINK") == "1"
    if link:
        one = os.path.join(staging, ".one")
        shutil.copyfile(src, one); os.utime(one, (old, old))
    for m in names:
        p = os.path.join(staging, m)
        if link: os.link(one, p)
        else: shutil.copyfile(src, p); os.utime(p, (old, old))
    for m in names:
        os.rename(os.path.join(staging, m), os.path.join(d, "in", m, "part-%02d.parquet" % int(cycle)))
    if link: os.remove(one)
    print("%.3f" % time.time())
elif cmd == "wait":
    d, index, t0 = args[0], int(args[1]), float(args[2])
    pid = int(args[3]) if len(args) > 3 else None  # 0: check once, no waiting
    left = models(d)
    while left:
        still = []
        for m in left:
            base = os.path.join(d, "store", m)
            try:
                c = os.stat(os.path.join(base, "estimates", "analysis", "chunk-%06d.parquet" % index)).st_mtime_ns
                f = os.stat(os.path.join(base, "alerts", "flags.json")).st_mtime_ns
                if f < c: still.append(m)
            except FileNotFoundError:
                still.append(m)
        left = still
        if left:
            if pid == 0: sys.exit("%d model(s) lack chunk %d, e.g. %s" % (len(left), index, left[0]))
            if pid is not None and not os.path.exists("/proc/%d" % pid): sys.exit("the host exited")
            time.sleep(0.1)
    print("%.2f" % (time.time() - t0))
elif cmd == "cpu":
    f = open("/proc/%s/stat" % args[0]).read().rsplit(")", 1)[1].split()
    print("%.2f" % ((int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")))
PY
helper() { python3 "$work/helper.py" "$@"; }

config() { # $1 dir
  mkdir -p "$1/in"; { echo "store: ./store"; echo "storage: { kind: inmemory }"; echo "models:"
  for i in $(seq -w 1 "$models"); do mkdir -p "$1/in/m$i"; cat <<YAML
  - name: m$i
    reference: $work/reference.parquet
    analysis: ./in/m$i/*.parquet
    id_column: id
    columns: { y_pred_proba: y_pred_proba, y_pred: y_pred, y_true: repaid, timestamp: timestamp }
    chunking: { size: $chunk }
    schedule: "$schedule"
YAML
  done; } > "$1/estimator.yaml"; }

# history DIR: clones the template store (built once, below) into every model's store folder. Files are hard links
# (the store replaces files by rename) except the files written in place, which each model gets its own copy of: the
# lock file (left out) and the append-only files (the chunk log, the consumed-file log and its index, alerts/flags.json).
history_to() {
  [ "$history" -gt 0 ] || return 0
  mkdir -p "$1/store"
  local t="$work/template/store/t"
  for m in $(ls "$1/in"); do
    cp -al "$t" "$1/store/$m"; rm -f "$1/store/$m/.lock"
    for f in "$t"/chunks/*.jsonl "$t"/consumed.jsonl "$t"/consumed.idx "$t"/alerts/flags.json; do
      if [ -f "$f" ]; then cp --remove-destination "$f" "$1/store/$m/${f#"$t"/}"; fi
    done
  done
}
if [ "$history" -gt 0 ]; then
  files=$(( (history * chunk + 9999) / 10000 ))
  mkdir -p "$work/template/in/t"
  cp "${parts[0]}" "$work/template/h.parquet"; touch -d '-1 hour' "$work/template/h.parquet"
  for i in $(seq -w 1 "$files"); do ln "$work/template/h.parquet" "$work/template/in/t/h$i.parquet"; done
  { echo "store: ./store"; echo "storage: { kind: inmemory }"; echo "models:"; cat <<YAML
  - name: t
    reference: $work/reference.parquet
    analysis: ./in/t/*.parquet
    id_column: id
    columns: { y_pred_proba: y_pred_proba, y_pred: y_pred, y_true: repaid, timestamp: timestamp }
    chunking: { size: $chunk }
    schedule: "$schedule"
YAML
  } > "$work/template/estimator.yaml"
  t0=$(date +%s.%N)
  dotnet "${TEMPLATE_CLI:-$cli}" run --config "$work/template/estimator.yaml" >"$work/template/run.log"
  # The history's notifications count as delivered (a host would have sent them as the history arrived).
  if [ -d "$work/template/store/t/outbox/pending" ]; then
    mkdir -p "$work/template/store/t/outbox/sent"
    find "$work/template/store/t/outbox/pending" -name '*.json' -exec mv -t "$work/template/store/t/outbox/sent" {} +
  fi
  echo "history: $history chunks per model ($files files of 10,000 rows), template store built in $(echo "$(date +%s.%N) - $t0" | bc) s"
fi
base=$(( history > 0 ? (files * 10000) / chunk : 0 ))

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
per_file=$((10000 / chunk))
echo "models=$models chunk=$chunk ($per_file chunk(s) per file) history=$history schedule='$schedule' cli=$cli"
echo "machine: $(nproc) cores, $(uptime | sed 's/.*load/load/')"

for mode in $modes; do
  dir="$work/$mode"; config "$dir"; history_to "$dir"
  times=(); cpus=()
  if [ "$mode" = run ]; then
    for k in 1 2 3 4 5; do
      helper drop "$dir" "$k" "${parts[$((k-1))]}" >/dev/null
      start=$(date +%s.%N)
      /usr/bin/time -f '%U %S %M' -o "$dir/time$k" dotnet "$cli" run --config "$dir/estimator.yaml" >"$dir/run$k.log"
      secs=$(echo "$(date +%s.%N) - $start" | bc)
      helper wait "$dir" $((base + k * per_file - 1)) "$start" 0 >/dev/null  # checks every model has the new chunk
      read -r u s rss <"$dir/time$k"; cpu=$(echo "$u + $s" | bc)
      printf 'run   cycle %d: %6.1f s wall, %6.1f s CPU, peak RSS %d MiB   (%s)\n' "$k" "$secs" "$cpu" $((rss / 1024)) "$(uptime | sed 's/.*load/load/')"
      [ "$k" -gt 1 ] && times+=("$secs") && cpus+=("$cpu")
    done
  else
    helper drop "$dir" 1 "${parts[0]}" >/dev/null
    start=$(date +%s.%N)
    dotnet "$cli" serve --config "$dir/estimator.yaml" --urls http://127.0.0.1:0 >"$dir/serve.log" 2>&1 &
    host=$!; pids+=("$host")
    secs=$(helper wait "$dir" $((base + per_file - 1)) "$start" "$host")
    printf 'serve cycle 1: %6.1f s wall (from process start, fitting), %6.1f s CPU   (%s)\n' "$secs" "$(helper cpu "$host")" "$(uptime | sed 's/.*load/load/')"
    for k in 2 3 4 5; do
      c0=$(helper cpu "$host"); sleep "$idle"; c1=$(helper cpu "$host")
      idle_cpu=$(echo "($c1 - $c0) / $idle" | bc -l)
      t0=$(helper drop "$dir" "$k" "${parts[$((k-1))]}")
      secs=$(helper wait "$dir" $((base + k * per_file - 1)) "$t0" "$host")
      c2=$(helper cpu "$host")
      cpu=$(echo "$c2 - $c1" | bc)
      printf 'serve cycle %d: %6.1f s wall, %6.1f s CPU (idle before it: %.2f cores busy)   (%s)\n' "$k" "$secs" "$cpu" "$idle_cpu" "$(uptime | sed 's/.*load/load/')"
      times+=("$secs"); cpus+=("$cpu")
    done
    rss=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$host/status")
    kill "$host"; wait "$host" 2>/dev/null || true
    echo "serve peak RSS: $rss MiB"
  fi
  first=$(cd "$dir/in" && set -- *; echo "$1")  # not `ls | head`: under pipefail, ls killed by SIGPIPE ends the script
  echo "$mode: $first's state.json $(stat -c %s "$dir/store/$first/state.json") bytes, alerts/flags.json $(stat -c %s "$dir/store/$first/alerts/flags.json") bytes, outbox/sent/ $(ls "$dir/store/$first/outbox/sent" 2>/dev/null | wc -l) files"
  printf '%s: median of cycles 2-5: %s s wall, %s s CPU\n' "$mode" "$(printf '%s\n' "${times[@]}" | median)" "$(printf '%s\n' "${cpus[@]}" | median)"
done
