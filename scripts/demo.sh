#!/usr/bin/env bash
# make demo: generate the sample government site family, serve it on
# loopback, register it from its CSV files, check that the registered
# homepages answer, run the 2025Q1 inspection (crawl, checks, scoring), and
# write the circular, the score sheets, the self-inspection report and the
# exports into the output folder it names at the end.
set -euo pipefail

GW=${1:-build/govwatch}
OUT=${2:-demo-out}
GW=$(realpath "$GW")
SRC=$(realpath "$(dirname "$0")/..")

rm -rf "$OUT"
mkdir -p "$OUT"
cd "$OUT"
DB=govwatch.db

echo "== 1. Generating the sample government sites (青溪县) into $OUT/sample"
"$GW" sample generate --out sample --pages 600

echo
echo "== 2. Serving them on loopback"
"$GW" sample serve --ipv6 --port 0 --pages 600 --ready-file serve.ready --pid-file serve.pid >serve.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  [ -s serve.ready ] && break
  kill -0 "$server" 2>/dev/null || { cat serve.log; echo "demo: the sample server did not start" >&2; exit 1; }
  sleep 0.1
done
[ -s serve.ready ] || { cat serve.log; echo "demo: the sample server did not start in 10 s" >&2; exit 1; }
PORT=$(head -n 1 serve.ready)
echo "   listening on 127.0.0.1:$PORT and [::1]:$PORT (log: $OUT/serve.log)"
# Point every host the family serves at the server, one by one, and let no
# other host name reach a resolver (the family links to hosts it does not
# serve on purpose: those must come out as DNS failures).
python3 - "$PORT" "$DB" <<'PY'
import json, sys
port, db = sys.argv[1], sys.argv[2]
hosts = json.load(open("sample/manifest.json"))["hosts"]
with open("govwatch.yaml", "w", encoding="utf-8") as f:
    f.write(f"db: {db}\ncontent:\n  dict_dir: dict\nnetwork:\n  mapped_only: true\n  per_host: 8\n  interval_ms: 0\n  connect_to:\n")
    for h in hosts:  # dual-stack: each host over IPv4 and IPv6, as the IPv6 check expects of a site
        f.write(f'    - "{h}:80:127.0.0.1:{port}"\n')
        f.write(f'    - "{h}:80:[::1]:{port}"\n')
PY
# The office's word lists: the shipped dict/ plus the county's own leaders (names and titles
# change, so they are the office's data; here taken from the sample's manifest).
cp -r "$SRC/dict" dict
python3 - >dict/wording/leaders-qingxi.txt <<'PY'
import json
print("# 青溪县 leaders (from the sample family's manifest)")
for l in json.load(open("sample/manifest.json"))["leaders"]:
    print("%s\t%s" % (l["name"], l["title"]))
PY

echo
echo "== 3. Registering units, websites and new-media accounts from the CSV files"
"$GW" unit import sample/units.csv
"$GW" site import sample/sites.csv
"$GW" account import sample/accounts.csv

echo
echo "== 4. Homepages of the registered sites, fetched through the server"
"$GW" site list --json | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    print(s["url"])' | while read -r url; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 15 --connect-to "::127.0.0.1:$PORT" "$url" || true)
  printf '   %-36s HTTP %s\n' "$url" "$code"
done

echo
echo "== 5. A week of availability probes before the as-of time (站点无法访问 needs 20+ a day)"
echo "   govwatch serve --once at 2025-03-31 12:00 runs every probe slot of the past 7 days"
echo "   (monitor.catchup), over IPv4 and IPv6; a real deployment runs govwatch serve all along"
printf 'monitor:\n  catchup: 604800\n  crawl: false\n' >>govwatch.yaml
GW_NOW='2025-03-31 12:00' "$GW" serve --once 2>serve-once.log
"$GW" availability --all --from '2025-03-24 12:00' --to '2025-03-31 12:00'

echo
echo "== 6. The 2025Q1 inspection: crawl, checks and scoring of every registered site and account"
"$GW" inspect --all --quarter 2025Q1 --as-of '2025-03-31 12:00' --rules "$SRC/rules/national-2019.yaml"
echo
echo "   Running it again continues the same inspection: nothing is crawled or checked twice"
"$GW" inspect --all --quarter 2025Q1 --as-of '2025-03-31 12:00' | tail -n 4
echo
"$GW" links --all --broken

echo
echo "== 7. Score sheets, the circular, the self-inspection report and the exports"
mkdir -p reports/score
"$GW" site list --json | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    print(s["code"])' | while read -r code; do
  "$GW" score "$code" --quarter 2025Q1 >"reports/score/$code.txt"
  "$GW" score "$code" --quarter 2025Q1 --json >"reports/score/$code.json"
done
echo "   score sheets: $OUT/reports/score/<网站标识码>.txt and .json"
mkdir -p reports/score/accounts
"$GW" account list --json | python3 -c '
import json, sys
for a in json.load(sys.stdin):
    if a.get("status") == "running":
        print(a["id"], (a["name"] + "-" + a["platform_label"]).replace("/", "_"))' | while read -r id file; do
  "$GW" score "$id" --account --quarter 2025Q1 >"reports/score/accounts/$file.txt"
done
echo "   account verdicts: $OUT/reports/score/accounts/<账号名称>-<平台>.txt"
for fmt in docx html md; do
  "$GW" report circular --quarter 2025Q1 --issued 2025-04-10 --doc-number "青政办〔2025〕12号" \
    --requirements "$SRC/templates/circular-requirements.txt" -o "reports/circular-2025Q1.$fmt"
done
"$GW" report self --unit 青溪县教育局 --quarter 2025Q1 --issued 2025-04-10 -o reports/self-jyj-2025Q1.md
"$GW" export scores --quarter 2025Q1 -o reports/scores-2025Q1.xlsx
"$GW" export problems --quarter 2025Q1 -o reports/problems-2025Q1.xlsx
echo
echo "-- the circular (Markdown)"
cat reports/circular-2025Q1.md

echo
echo "== 8. The register"
echo
echo "-- 单位 (units)"
"$GW" unit list
echo
echo "-- 网站 (websites)"
"$GW" site list
echo
echo "-- 政务新媒体 (new-media accounts)"
"$GW" account list
echo
echo "Planted defects (ground truth): $OUT/sample/manifest.json"
echo "Inspection output (circular in docx/html/md, score sheets, self report, XLSX exports): $(realpath reports)"
echo "Browse the sites: cd $OUT && $GW sample serve --port 8080, then"
echo "  curl --connect-to ::127.0.0.1:8080 http://www.qingxi.gov.cn/"
