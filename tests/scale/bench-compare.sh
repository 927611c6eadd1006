#!/usr/bin/env bash
# `estimator bench` of two builds side by side: PROCESSES processes of each, alternating baseline and new (so both see
# the same machine load), each with `--repeat REPEAT`. Prints every process's medians, then the median over processes
# and the ratio baseline / new, for fit_seconds, estimate_seconds and peak_rss_mib (and, with --input, read_seconds and
# estimate_to_read_ratio).
# Usage (after `dotnet build -c Release src/Estimator.Cli` in both trees):
#   tests/scale/bench-compare.sh BASELINE_TREE NEW_TREE [PROCESSES=5] -- [bench options, default --rows 1000000 --repeat 3]
# e.g. git worktree add /tmp/base <commit> && (cd /tmp/base && dotnet build -c Release src/Estimator.Cli)
#      tests/scale/bench-compare.sh /tmp/base . 5 -- --rows 1000000 --repeat 3 --threads 2
set -euo pipefail
baseline=$1; new=$2; processes=${3:-5}
shift 3 || shift $#
[ "${1:-}" = "--" ] && shift
args=("$@"); [ ${#args[@]} -eq 0 ] && args=(--rows 1000000 --repeat 3)
dll() { echo "$1/src/Estimator.Cli/bin/Release/net10.0/estimator.dll"; }
for tree in "$baseline" "$new"; do [ -f "$(dll "$tree")" ] || { echo "no Release build in $tree" >&2; exit 2; }; done
out=$(mktemp -d)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for p in $(seq 1 "$processes"); do
  for side in baseline new; do
    tree=$baseline; [ "$side" = new ] && tree=$new
    dotnet "$(dll "$tree")" bench "${args[@]}" --quiet > "$out/$side-$p.json"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" "$processes" <<'PY'
import json, statistics, sys
out, processes = sys.argv[1], int(sys.argv[2])
keys = ["fit_seconds", "estimate_seconds", "peak_rss_mib", "read_seconds", "estimate_to_read_ratio"]
runs = {side: [json.load(open(f"{out}/{side}-{p}.json")) for p in range(1, processes + 1)] for side in ("baseline", "new")}
for side, rs in runs.items():
    for p, r in enumerate(rs, 1):
        print(side, p, " ".join(f"{k}={r[k]:.4g}" for k in keys if k in r))
print()
for k in keys:
    if k not in runs["new"][0]:
        continue
    b = statistics.median(r[k] for r in runs["baseline"])
    n = statistics.median(r[k] for r in runs["new"])
    print(f"{k:24} baseline {b:10.4g}  new {n:10.4g}  baseline/new {b / n:6.2f}x")
PY
rm -rf "$out"
