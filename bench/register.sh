#!/usr/bin/env bash
# bench/run.sh section `register`: the sample-site generator and the
# register's import/export. Prints a Markdown table; paste it into
# bench/README.md with the machine and the date.
# Usage: bench/register.sh [BUILD]   (work files in $BENCH_OUT/register)
set -euo pipefail
BUILD=${1:-build}
GW=$(realpath "$BUILD/govwatch")
RUNSTAT=$(realpath "$BUILD/gw_runstat")
OUT=$(realpath -m "${BENCH_OUT:-bench/out}")/register
rm -rf "$OUT"
mkdir -p "$OUT"
cd "$OUT"

rows=()
run() { # label, command...
  local label=$1; shift
  local line
  line=$("$RUNSTAT" "$label" -- "$@" 2>"$OUT/last.err" | tail -n 1) || {
    echo "bench: '$label' failed:" >&2; cat "$OUT/last.err" >&2; exit 1; }
  rows+=("$line")
}

# 1. The generator: model build alone (manifest) and model + render + write.
run "sample manifest, 100,000 pages (model only)" sh -c "'$GW' sample manifest --pages 100000 > manifest-100k.json"
run "sample generate, 20,000 pages (render + write)" "$GW" sample generate --pages 20000 --out gen20k
pages20k=$(find gen20k -type f | wc -l)
bytes20k=$(du -sb gen20k | cut -f1)

# 2. The register: a 10,000-site file (made from a generated unit tree).
python3 - <<'PY'
import csv
with open("units.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["单位名称", "上级单位", "单位类型", "行政区划代码", "联系人"])
    w.writerow(["基准市", "", "地区", "339900", ""])
    for i in range(100):
        w.writerow([f"基准县{i:03d}", "基准市", "地区", "", ""])
with open("sites.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["网站名称", "网址", "网站标识码", "网站类型", "所属单位", "主办单位", "主管单位", "有无对外服务功能", "运行状态", "备注"])
    for i in range(10000):
        county = f"基准县{i % 100:03d}"
        w.writerow([f"{county}第{i}号部门网站", f"http://d{i}.bench{i % 100}.gov.cn/", f"3399{i:06d}",
                    "部门网站", county, county, "", "有", "运行中", ""])
PY
run "unit import, 101 units" "$GW" --db bench.db unit import units.csv
run "site import, 10,000 sites (CSV)" "$GW" --db bench.db site import sites.csv
run "site export, 10,000 sites (XLSX)" "$GW" --db bench.db site export sites-out.xlsx
run "site list, 10,000 sites (JSON)" sh -c "'$GW' --db bench.db site list --json > list.json"
run "site import, 10,000 sites (XLSX, fresh db)" sh -c "'$GW' --db bench2.db unit import units.csv >/dev/null && '$GW' --db bench2.db site import sites-out.xlsx"

echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -srm)"
echo "CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
echo "Date: $(date -u +%Y-%m-%d)"
echo "20,000-page family written: $pages20k files, $((bytes20k / 1048576)) MiB"
echo
echo "| benchmark | wall s | user s | sys s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|"
for r in "${rows[@]}"; do
  IFS=$'\t' read -r label wall user sys rss code <<<"$r"
  echo "| $label | $wall | $user | $sys | $rss |"
done
