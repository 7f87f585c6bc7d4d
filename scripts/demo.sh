#!/usr/bin/env bash
# make demo: generate the sample government site family, serve it on
# loopback, register it from its CSV files, check that the registered
# homepages answer, and print the register.
set -euo pipefail

GW=${1:-build/govwatch}
OUT=${2:-demo-out}
GW=$(realpath "$GW")

rm -rf "$OUT"
mkdir -p "$OUT"
cd "$OUT"
DB=govwatch.db

echo "== 1. Generating the sample government sites (青溪县) into $OUT/sample"
"$GW" sample generate --out sample --pages 600

echo
echo "== 2. Serving them on loopback"
"$GW" sample serve --port 0 --pages 600 --ready-file serve.ready --pid-file serve.pid >serve.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  [ -s serve.ready ] && break
  kill -0 "$server" 2>/dev/null || { cat serve.log; echo "demo: the sample server did not start" >&2; exit 1; }
  sleep 0.1
done
[ -s serve.ready ] || { cat serve.log; echo "demo: the sample server did not start in 10 s" >&2; exit 1; }
PORT=$(head -n 1 serve.ready)
echo "   listening on 127.0.0.1:$PORT (log: $OUT/serve.log)"
# Point every host the family serves at the server, one by one, and let no
# other host name reach a resolver (the family links to hosts it does not
# serve on purpose: those must come out as DNS failures).
python3 - "$PORT" "$DB" <<'PY'
import json, sys
port, db = sys.argv[1], sys.argv[2]
hosts = json.load(open("sample/manifest.json"))["hosts"]
with open("govwatch.yaml", "w", encoding="utf-8") as f:
    f.write(f"db: {db}\nnetwork:\n  mapped_only: true\n  per_host: 8\n  interval_ms: 0\n  connect_to:\n")
    for h in hosts:
        f.write(f'    - "{h}::127.0.0.1:{port}"\n')
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
echo "== 5. Crawling every registered site (pages, links, redirects, robots.txt)"
"$GW" crawl --all

echo
echo "== 6. Checking links (broken, unknown, soft 404) and storing the findings"
"$GW" check --all
echo
"$GW" links --all --broken

echo
echo "== 7. The register"
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
echo "Browse the sites: cd $OUT && $GW sample serve --port 8080, then"
echo "  curl --connect-to ::127.0.0.1:8080 http://www.qingxi.gov.cn/"
