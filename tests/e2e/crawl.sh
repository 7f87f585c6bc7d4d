#!/usr/bin/env bash
# govwatch crawl as a user runs it: `govwatch sample serve` in the
# background, the family registered from `govwatch sample generate` CSVs,
# a configuration that maps every served host with network.connect_to and
# sets network.mapped_only (no resolver is ever asked), then `crawl --all`
# and its summary, --json, a conditional re-crawl, Ctrl-C and resume, and
# usage errors. Nothing leaves loopback.
set -u
. "$(dirname "$0")/lib.sh"

# ---- the sample family on loopback ----
e2e_serve

expect_ok "sample generate" sample generate --out "$E2E_TMP/gen"
hosts=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["hosts"]))' "$E2E_TMP/gen/manifest.json")
pages=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pages"])' "$E2E_TMP/gen/manifest.json")

CFG="$E2E_TMP/govwatch.yaml"
{
  echo "network:"
  echo "  mapped_only: true"
  echo "  per_host: 8"
  echo "  interval_ms: 0"
  echo "  concurrency: 32"
  echo "  retry_base_ms: 50"
  echo "  connect_to:"
  for h in $hosts; do echo "    - $h:80:127.0.0.1:$port"; done
  echo "crawl:"
  echo "  calendar_depth: 6"
} >"$CFG"

expect_ok "unit import" --config "$CFG" unit import "$E2E_TMP/gen/units.csv"
expect_ok "site import" --config "$CFG" site import "$E2E_TMP/gen/sites.csv"

# ---- crawl --all ----
expect_ok "crawl --all" --config "$CFG" crawl --all
for name in 青溪县人民政府 青溪县教育局 青溪县卫生健康局 青溪县财政局 青溪县自然资源和规划局 青溪县青溪镇人民政府; do
  expect_out_has "$name"
done
expect_out_has "状态 state:               完成 done"
expect_out_has "域名无法解析 dns 1"
expect_out_has "重定向循环 redirect_loop 1"
expect_out_has "爬虫陷阱 trap 2"
expect_out_has "陷阱截断 trap cut-off:  http://qxz.qingxi.gov.cn/calendar/?month="
expect_out_has "calendar: more than 6 date steps in a row"
expect_out_has "robots.txt www.qingxi.gov.cn: HTTP 200, 规则 rules 2"
n=$(grep -c "状态 state:               完成 done" "$OUT")
expect_eq "$n" 6 "six crawls done"
# not a terminal: no progress line
if grep -q $'\r' "$ERR"; then fail "a progress line was written to a non-terminal"; fi
pass

# the pages reached, summed over the six crawls (cross-site pages counted
# once each by URL) equal the manifest's figure, less what only external
# pages lead to (the crawler checks external links without crawling them)
sum=$(sqlite3 "$E2E_DB" "SELECT count(DISTINCT url) FROM crawl_urls WHERE state = 2 AND http_status = 200 AND redirects = 0 AND url NOT LIKE '%/calendar/%'" 2>/dev/null) || sum=""
if [ -n "$sum" ]; then
  behind=$((pages - sum))
  [ "$behind" -ge 0 ] && [ "$behind" -le 5 ] || fail "pages reached: $sum of the manifest's $pages"
  pass
fi

# ---- JSON and a conditional re-crawl of one site (by 网站标识码) ----
expect_ok "re-crawl --json" --config "$CFG" --json crawl 3399220001
expect_json 'len(j)' 1
expect_json 'j[0]["site"]["code"]' 3399220001
expect_json 'j[0]["state"]' done
expect_json 'j[0]["resumed"]' false
expect_json 'j[0]["prev_crawl_id"]' 1
expect_json 'j[0]["not_modified"] > 50' true
expect_json 'j[0]["failures"]["dns"]' 1
expect_json 'j[0]["failures"]["http"]' 3
expect_json 'j[0]["robots"]["www.qingxi.gov.cn"]["status"]' 304
expect_json 'j[0]["robots"]["www.qingxi.gov.cn"]["rules"]' 2

# by URL, with caps from the command line
expect_ok "crawl by URL with --max-pages" --config "$CFG" --json crawl http://jyj.qingxi.gov.cn/ --new --max-pages 5
expect_json 'j[0]["skipped"]["cap"] > 0' true
expect_json 'j[0]["options"]["max_pages"]' 5

# ---- Ctrl-C and resume ----
"$GW_BIN" --db "$E2E_DB" --config "$CFG" crawl http://qxz.qingxi.gov.cn/ --new --per-host 1 --interval-ms 200 \
  >"$E2E_TMP/int.out" 2>"$E2E_TMP/int.err" &
cpid=$!
sleep 1.5
kill -INT "$cpid"
wait "$cpid"
st=$?
[ "$st" -ne 0 ] || fail "an interrupted crawl exits non-zero (got $st)"
pass
grep -qF "interrupted; run the same command again to resume" "$E2E_TMP/int.err" || fail "interrupt message: $(cat "$E2E_TMP/int.err")"
pass
grep -qF "已中断 interrupted" "$E2E_TMP/int.out" || fail "the summary says interrupted: $(head -c 800 "$E2E_TMP/int.out")"
pass
expect_ok "resume" --config "$CFG" crawl http://qxz.qingxi.gov.cn/
expect_out_has "继续上次中断的抓取 (resumed an interrupted crawl)"
expect_out_has "第 2 次运行 run 2"
expect_out_has "状态 state:               完成 done"

# ---- errors ----
expect_rc 2 "no SITE" --config "$CFG" crawl
expect_err_has "missing argument SITE (or --all)"
expect_rc 2 "SITE and --all" --config "$CFG" crawl 3399220001 --all
expect_rc 2 "both IP versions" --config "$CFG" crawl 3399220001 --ipv4 --ipv6
expect_err_has "--ipv4 and --ipv6 exclude each other"
expect_rc 2 "bad --max-pages" --config "$CFG" crawl 3399220001 --max-pages 0
expect_err_has "--max-pages '0' must be a whole number from 1 to 10000000"
expect_rc 2 "bad --timeout" --config "$CFG" crawl 3399220001 --timeout 15s
expect_rc 2 "unknown option" --config "$CFG" crawl 3399220001 --depth 3
expect_rc 4 "unknown site" --config "$CFG" crawl 3399229999
expect_err_has "crawl: SITE '3399229999'"
E2E_DB="$E2E_TMP/empty.db"
expect_rc 4 "--all without sites" --config "$CFG" crawl --all
expect_err_has "no website is registered"
expect_ok "help" crawl --help
expect_out_has "usage: govwatch crawl SITE|--all"

finish
