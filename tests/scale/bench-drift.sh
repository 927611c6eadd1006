#!/usr/bin/env bash
# Whole-process `estimator drift` and `estimator quality` of two builds side by side (issue #14): PROCESSES runs of
# each case, alternating baseline and new so both see the same machine load. Cases: car loan (9 columns x 4 methods +
# reconstruction error, chunks of 5000; quality of the same columns) and the 24-column hotel-shaped CSV files
# (written by the benchmark project's `write-hotel`). Prints each case's median wall, CPU (user + sys) and peak RSS per
# build, the ratio baseline / new, and the load average before and after.
# Usage (after `dotnet build -c Release src/Estimator.Cli` in both trees and `dotnet build -c Release tests/Estimator.Benchmarks` in NEW):
#   tests/scale/bench-drift.sh BASELINE_TREE NEW_TREE [PROCESSES=5] [LARGE_PARQUET]
# e.g. git worktree add /tmp/base <commit> && (cd /tmp/base && dotnet build -c Release src/Estimator.Cli)
#      tests/scale/bench-drift.sh /tmp/base . 5
# With LARGE_PARQUET (from `write-large`), the car-loan drift also runs on it once per build (peak RSS of streaming).
set -euo pipefail
baseline=$1; new=$2; processes=${3:-5}; large=${4:-}
dll() { echo "$1/src/Estimator.Cli/bin/Release/net10.0/estimator.dll"; }
for tree in "$baseline" "$new"; do [ -f "$(dll "$tree")" ] || { echo "no Release build in $tree" >&2; exit 2; }; done
out=$(mktemp -d)
car="$new/datasets/car_loan"
hotel="$out/hotel"
dotnet "$new/tests/Estimator.Benchmarks/bin/Release/net10.0/Estimator.Benchmarks.dll" write-hotel "$hotel"
car_columns=car_value,salary_range,debt_to_income_ratio,loan_length,repaid_loan_on_prev_car,size_of_downpayment,driver_tenure,y_pred_proba,y_pred
hotel_columns=$(head -1 "$hotel/reference.csv" | cut -d, -f2-)
methods=(--continuous-methods kolmogorov_smirnov,jensen_shannon,wasserstein,hellinger --categorical-methods chi2,jensen_shannon,l_infinity,hellinger)
run() { # name tree args...
  local name=$1 tree=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$out/time" dotnet "$(dll "$tree")" "$@" > /dev/null
  echo "$name $(cat "$out/time")" >> "$out/runs"
}
case_args() { # case -> arguments
  case $1 in
    car-drift) echo drift --reference "$car/reference.parquet" --analysis "$car/analysis.parquet" --columns $car_columns --categorical y_pred "${methods[@]}" --multivariate reconstruction --timestamp timestamp --chunk-size 5000 ;;
    car-quality) echo quality --reference "$car/reference.parquet" --analysis "$car/analysis.parquet" --missing-columns $car_columns --unseen-columns salary_range,repaid_loan_on_prev_car,size_of_downpayment --range-columns car_value,loan_length --statistics-columns car_value,loan_length --timestamp timestamp --chunk-size 5000 ;;
    hotel-drift) echo drift --reference "$hotel/reference.csv" --analysis "$hotel/analysis.csv" --columns "$hotel_columns" "${methods[@]}" --multivariate reconstruction --timestamp timestamp --chunk-size 5000 ;;
    hotel-quality) echo quality --reference "$hotel/reference.csv" --analysis "$hotel/analysis.csv" --missing-columns "$hotel_columns" --timestamp timestamp --chunk-size 5000 ;;
  esac
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for p in $(seq 1 "$processes"); do
  for c in car-drift car-quality hotel-drift hotel-quality; do
    # shellcheck disable=SC2046
    run "$c baseline" "$baseline" $(case_args $c) --out "$out/b.parquet"
    # shellcheck disable=SC2046
    run "$c new" "$new" $(case_args $c) --out "$out/n.parquet"
    cmp -s "$out/b.parquet" "$out/n.parquet" || echo "$c: outputs differ" >&2
  done
done
if [ -n "$large" ]; then
  for side in baseline new; do
    tree=$baseline; [ "$side" = new ] && tree=$new
    # shellcheck disable=SC2046
    run "large-drift $side" "$tree" $(case_args car-drift | sed "s#$car/analysis.parquet#$large#") --out "$out/l-$side.parquet"
  done
  cmp -s "$out/l-baseline.parquet" "$out/l-new.parquet" || echo "large: outputs differ" >&2
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out/runs" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    case, side, wall, user, sys_, rss = line.split()
    runs.setdefault(case, {}).setdefault(side, []).append((float(wall), float(user) + float(sys_), int(rss) / 1024))
print(f"{'case':14} {'build':9} {'wall s':>8} {'cpu s':>8} {'rss MiB':>8}   (medians; runs: wall)")
for case, sides in runs.items():
    med = {s: [statistics.median(r[i] for r in rs) for i in range(3)] for s, rs in sides.items()}
    for s, m in med.items():
        print(f"{case:14} {s:9} {m[0]:8.3f} {m[1]:8.3f} {m[2]:8.0f}   {', '.join(f'{r[0]:.2f}' for r in sides[s])}")
    b, n = med["baseline"], med["new"]
    print(f"{case:14} {'base/new':9} {b[0]/n[0]:7.2f}x {b[1]/n[1]:7.2f}x {b[2]/n[2]:7.2f}x")
PY
rm -rf "$out"
