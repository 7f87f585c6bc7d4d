#!/usr/bin/env bash
# bench/run.sh section `monitor`: how many sites one `govwatch serve`
# process can probe at 24 probes a day per IP family (the rule asks for at
# least 20), against loopback targets with a simulated latency.
#
# For each latency, SITES sites are registered (every host mapped to the
# target, IPv4 and IPv6) and `govwatch serve --once` is run with the clock
# pinned (GW_NOW) and monitor.catchup = WINDOW seconds: it runs every slot
# of the schedule that falls in that window, which is exactly the work a
# live service does in WINDOW seconds of real time. The table gives the
# slots run, the wall and CPU time and the peak RSS (gw_runstat), the wall
# time per slot, and from it the capacity: the sites whose 48 slots a day
# (24 x IPv4 + 24 x IPv6) fit in 86,400 s of one process, and the CPU time
# a day per 1,000 sites. Daily crawls are off (monitor.crawl: false): this
# measures probing only.
# Usage: bench/monitor/run.sh [BUILD]   (work files in $BENCH_OUT/monitor)
# Environment: MON_SITES (1000), MON_WINDOW (1800), MON_LATENCIES_MS ("0 50 200"),
# MON_BODY (20000 bytes), MON_WORKERS ("1 4": monitor.probe_workers, each value a row).
set -euo pipefail
BUILD=${1:-build}
GW=$(realpath "$BUILD/govwatch")
RUNSTAT=$(realpath "$BUILD/gw_runstat")
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(realpath -m "${BENCH_OUT:-bench/out}")/monitor
SITES=${MON_SITES:-1000}
WINDOW=${MON_WINDOW:-1800}
LATENCIES=${MON_LATENCIES_MS:-0 50 200}
BODY=${MON_BODY:-20000}
WORKERS=${MON_WORKERS:-1 4}
rm -rf "$OUT"
mkdir -p "$OUT"
cd "$OUT"

tpid=
trap '[ -n "$tpid" ] && kill "$tpid" 2>/dev/null; true' EXIT

python3 - "$SITES" <<'PY'
import csv, sys
n = int(sys.argv[1])
with open("units.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["单位名称", "上级单位", "单位类型", "行政区划代码", "联系人"])
    w.writerow(["基准市", "", "地区", "339900", ""])
with open("sites.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["网站名称", "网址", "网站标识码", "网站类型", "所属单位", "主办单位", "主管单位", "有无对外服务功能", "运行状态", "备注"])
    for i in range(n):
        w.writerow([f"基准市第{i}号部门网站", f"http://d{i}.bench.gov.cn/", f"3399{i:06d}",
                    "部门网站", "基准市", "基准市", "", "有", "运行中", ""])
PY

rows=()
for lat in $LATENCIES; do
for workers in $WORKERS; do
  rm -f ready
  python3 "$HERE/target.py" "$lat" "$BODY" ready 2>target.err &
  tpid=$!
  for _ in $(seq 1 100); do [ -s ready ] && break; sleep 0.1; done
  port=$(cat ready)
  cat >govwatch.yaml <<YAML
network:
  mapped_only: true
  connect_to:
    - "::127.0.0.1:$port"
    - "::[::1]:$port"
monitor:
  probes_per_day: 24
  catchup: $WINDOW
  crawl: false
  probe_workers: $workers
YAML
  db="bench-$lat.db"
  rm -f "$db"*
  "$GW" --db "$db" --config govwatch.yaml unit import units.csv >/dev/null
  "$GW" --db "$db" --config govwatch.yaml site import sites.csv >/dev/null
  line=$(GW_NOW="2025-03-03 12:00" "$RUNSTAT" "$lat ms, $workers prober(s)" -- "$GW" --db "$db" --config govwatch.yaml serve --once \
    2>"serve-$lat.err" | tail -n 1) || { echo "bench: serve failed:" >&2; cat "serve-$lat.err" >&2; exit 1; }
  kill "$tpid" 2>/dev/null || true
  wait "$tpid" 2>/dev/null || true
  tpid=
  stats=$(python3 - "$db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(*db.execute("SELECT count(*), sum(verdict = 1), sum(verdict <> 1) FROM avail_slots").fetchone())
PY
)
  rows+=("$line"$'\t'"$stats")
done
done

echo
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -srm)"
echo "CPU: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
echo "Date: $(date -u +%Y-%m-%d)"
echo "Sites: $SITES, window: $WINDOW s of schedule, body: $BODY bytes, 24 probes a day per family"
echo
echo "| latency, probers | slots run | not OK | wall s | user s | sys s | peak RSS MiB | wall ms / slot | sites per process (48 slots/day) | CPU s / day / 1,000 sites |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for r in "${rows[@]}"; do
  IFS=$'\t' read -r label wall user sys rss code stats <<<"$r"
  read -r slots ok bad <<<"$stats"
  python3 - "$label" "$wall" "$user" "$sys" "$rss" "$slots" "$bad" <<'PY'
import sys
label, wall, user, sys_, rss, slots, bad = sys.argv[1:]
wall, user, sys_, slots = float(wall), float(user), float(sys_), int(slots)
per = wall / slots
cap = 86400 / (per * 48)
cpu_day = (user + sys_) / slots * 48 * 1000
print(f"| {label} | {slots} | {bad} | {wall:.1f} | {user:.1f} | {sys_:.1f} | {rss} | {per * 1000:.1f} | {cap:,.0f} | {cpu_day:,.0f} |")
PY
done
