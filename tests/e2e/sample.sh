#!/usr/bin/env bash
# govwatch sample as a user runs it: serve (ready/pid files, Host routing,
# a GBK site, the index page, SIGTERM), generate (pages, manifest, register
# CSVs), manifest, and usage errors.
set -u

GW=${GW_BIN:?GW_BIN must name the govwatch binary}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gw-e2e-sample.XXXXXX")
spid=
cleanup() {
  if [ -n "$spid" ] && kill -0 "$spid" 2>/dev/null; then
    kill -TERM "$spid" 2>/dev/null
    wait "$spid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }
# check DESCRIPTION COMMAND...: passes when COMMAND succeeds
check() {
  local d=$1
  shift
  if "$@"; then ok; else bad "$d"; fi
}
has() { grep -qF -- "$2" "$1"; }

# usage_error DESCRIPTION WORD ARGS...: exit status 2, stderr names WORD
usage_error() {
  local d=$1 word=$2
  shift 2
  "$GW" "$@" >"$tmp/u.out" 2>"$tmp/u.err"
  local st=$?
  if [ "$st" -eq 2 ] && grep -qF -- "$word" "$tmp/u.err"; then
    ok
  else
    bad "$d: exit $st, stderr: $(head -c 300 "$tmp/u.err")"
  fi
}

PAGES=80

# ---- serve ----
"$GW" sample serve --port 0 --pages "$PAGES" --pid-file "$tmp/pid" --ready-file "$tmp/ready" \
  >"$tmp/serve.out" 2>"$tmp/serve.err" &
spid=$!
for _ in $(seq 1 200); do
  [ -s "$tmp/ready" ] && break
  kill -0 "$spid" 2>/dev/null || break
  sleep 0.1
done
if [ ! -s "$tmp/ready" ]; then
  bad "serve never wrote the ready file: $(cat "$tmp/serve.err")"
  echo "$pass passed, $fail failed"
  exit 1
fi
port=$(cat "$tmp/ready")
check "ready file holds a port" test "$port" -gt 0
check "pid file holds the server's pid" test "$(cat "$tmp/pid")" = "$spid"
check "stdout names the port" has "$tmp/serve.out" "port: $port"
check "stdout gives the connect_to mapping" has "$tmp/serve.out" "network.connect_to: [\"::127.0.0.1:$port\"]"
check "stdout gives the per-host mapping" has "$tmp/serve.out" "\"czj.qingxi.gov.cn::127.0.0.1:$port\""
check "the unresolvable hosts stay unmapped" test "$(grep -c "qingxi-old" "$tmp/serve.out")" = 0
check "stdout gives the curl hint" has "$tmp/serve.out" "curl --connect-to ::127.0.0.1:$port"
check "stdout gives the chromium hint" has "$tmp/serve.out" "--host-resolver-rules=\"MAP www.qingxi.gov.cn 127.0.0.1:$port"
check "stdout lists the portal" has "$tmp/serve.out" "http://www.qingxi.gov.cn/"

CT=(--connect-to "::127.0.0.1:$port" --max-time 20 -s)
code=$(curl "${CT[@]}" -o "$tmp/home.html" -w '%{http_code}' http://www.qingxi.gov.cn/)
check "portal homepage is 200 (got $code)" test "$code" = 200
check "portal homepage is HTML" grep -qi "<html" "$tmp/home.html"
code=$(curl "${CT[@]}" -o /dev/null -w '%{http_code}' http://www.qingxi.gov.cn/no/such/page.html)
check "an unknown page is 404 (got $code)" test "$code" = 404
curl "${CT[@]}" -I http://www.qingxi.gov.cn/ >"$tmp/head.txt"
check "HEAD gives headers with Content-Length" grep -qi "^content-length: [0-9]" "$tmp/head.txt"

# the index page on the IP address lists the sites and their charsets
curl -s --max-time 20 -o "$tmp/index.html" "http://127.0.0.1:$port/"
check "index page on 127.0.0.1 lists the portal" has "$tmp/index.html" "www.qingxi.gov.cn"
check "index page gives the real port" has "$tmp/index.html" "127.0.0.1:$port"
check "index page is Chinese" has "$tmp/index.html" "样本政府网站"
n_sites=$(grep -c "^  .*http://" "$tmp/serve.out")
n_rows=$(grep -c "<tr><td><a href=" "$tmp/index.html")
check "index lists as many sites as serve printed ($n_rows vs $n_sites)" test "$n_rows" = "$n_sites"

# a GBK site: declared so, decodes as GBK to Chinese
gbk_url=$(grep "<td>GBK</td>" "$tmp/index.html" | head -1 | sed -n 's/.*<a href="\([^"]*\)".*/\1/p')
if [ -z "$gbk_url" ]; then
  bad "no GBK site in the index page"
else
  curl "${CT[@]}" -D "$tmp/gbk.hdr" -o "$tmp/gbk.html" "$gbk_url"
  check "GBK site declares charset=GBK" grep -qi "^content-type:.*charset=gbk" "$tmp/gbk.hdr"
  check "GBK page decodes as GBK" iconv -f GBK -t UTF-8 "$tmp/gbk.html" -o "$tmp/gbk.utf8"
  check "GBK page is not UTF-8 on the wire" test "$(iconv -f UTF-8 -t UTF-8 "$tmp/gbk.html" >/dev/null 2>&1; echo $?)" != 0
  check "GBK page has Chinese text" grep -q "政府\|单位\|首页\|网站" "$tmp/gbk.utf8"
fi

# a second server on the same port fails and names the address
"$GW" sample serve --port "$port" --pages "$PAGES" >"$tmp/s2.out" 2>"$tmp/s2.err"
st=$?
check "second server on a busy port fails (exit $st)" test "$st" -ne 0
check "the failure names 127.0.0.1:$port" has "$tmp/s2.err" "127.0.0.1:$port"

kill -TERM "$spid"
wait "$spid"
st=$?
spid=
check "serve exits 0 on SIGTERM (exit $st)" test "$st" = 0
check "pid file removed" test ! -e "$tmp/pid"
check "ready file removed" test ! -e "$tmp/ready"
check "serve says it stopped" has "$tmp/serve.out" "stopped on SIGTERM"

# ---- a fault from the command line, and [::1] when the machine has it ----
v6=
if python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null; then
  v6=--ipv6
else
  echo "# note: no ::1 on this machine; --ipv6 not tried"
fi
"$GW" sample serve --port 0 $v6 --pages "$PAGES" --fault 5xx --fault-times 1 \
  --ready-file "$tmp/ready2" >"$tmp/serve2.out" 2>"$tmp/serve2.err" &
spid=$!
for _ in $(seq 1 200); do
  [ -s "$tmp/ready2" ] && break
  kill -0 "$spid" 2>/dev/null || break
  sleep 0.1
done
if [ -s "$tmp/ready2" ]; then
  port2=$(cat "$tmp/ready2")
  CT2=(--connect-to "::127.0.0.1:$port2" --max-time 20 -s -o /dev/null -w '%{http_code}')
  check "fault 5xx: first request 503" test "$(curl "${CT2[@]}" http://jyj.qingxi.gov.cn/)" = 503
  check "fault 5xx: second request 200" test "$(curl "${CT2[@]}" http://jyj.qingxi.gov.cn/)" = 200
  check "serve prints the fault" has "$tmp/serve2.out" "fault: 5xx, every URL, its first 1 request(s)"
  if [ -n "$v6" ]; then
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 --connect-to "::[::1]:$port2" http://jyj.qingxi.gov.cn/)
    check "--ipv6 answers on [::1] (got $code)" test "$code" = 200
  fi
  kill -INT "$spid"
  wait "$spid"
  st=$?
  check "serve exits 0 on SIGINT (exit $st)" test "$st" = 0
  nreq=2
  [ -n "$v6" ] && nreq=3
  check "serve counts requests and the fault" has "$tmp/serve2.out" "stopped on SIGINT after $nreq requests (1 hit by the fault)"
else
  bad "fault server never became ready: $(cat "$tmp/serve2.err")"
  kill -TERM "$spid" 2>/dev/null
  wait "$spid" 2>/dev/null
fi
spid=

# ---- generate ----
"$GW" sample generate --out "$tmp/gen" --pages "$PAGES" >"$tmp/gen.out" 2>"$tmp/gen.err"
st=$?
check "generate exits 0 (exit $st: $(head -c 300 "$tmp/gen.err"))" test "$st" = 0
for f in units.csv sites.csv accounts.csv manifest.json www.qingxi.gov.cn/index.html; do
  check "generate wrote $f" test -s "$tmp/gen/$f"
done
strip_bom() { head -1 "$1" | sed 's/^\xEF\xBB\xBF//' | tr -d '\r'; }
check "units.csv header" test "$(strip_bom "$tmp/gen/units.csv")" = "单位名称,上级单位,单位类型,行政区划代码,联系人"
check "sites.csv header" test "$(strip_bom "$tmp/gen/sites.csv")" = "网站名称,网址,网站标识码,网站类型,所属单位,主办单位,主管单位,有无对外服务功能,运行状态,备注"
check "accounts.csv header" test "$(strip_bom "$tmp/gen/accounts.csv")" = "账号名称,账号类型,开设主体,认证主体,账号地址,运行状态,备注"
check "sites.csv has one row per site" test "$(($(wc -l <"$tmp/gen/sites.csv") - 1))" = "$n_sites"
check "sites.csv has the portal" grep -q "^青溪县人民政府,http://www.qingxi.gov.cn/," "$tmp/gen/sites.csv"
check "sites.csv labels the portal" grep -q "政府门户网站" "$tmp/gen/sites.csv"
check "sites.csv labels department sites" grep -q "部门网站" "$tmp/gen/sites.csv"
check "units.csv starts with the county (a region, no parent)" \
  test "$(sed -n 2p "$tmp/gen/units.csv" | tr -d '\r' | cut -d, -f2,3)" = ",地区"
check "units.csv has departments" grep -q ",部门," "$tmp/gen/units.csv"
check "units.csv has the town" grep -q "^青溪县青溪镇人民政府,青溪县,乡镇," "$tmp/gen/units.csv"
check "units.csv has one row per unit" test "$(($(wc -l <"$tmp/gen/units.csv") - 1))" = 6
check "accounts.csv has the family's accounts" test "$(($(wc -l <"$tmp/gen/accounts.csv") - 1))" = 6
check "accounts.csv keeps the mismatched 认证主体" grep -q "^青溪自然资源,微信服务号,青溪县自然资源和规划局,青溪县国土资源局," "$tmp/gen/accounts.csv"
check "accounts are running" test "$(grep -c ",运行中," "$tmp/gen/accounts.csv")" = 6
check "sites.csv: 财政局 has no external service" grep -q "^青溪县财政局,.*,无,运行中," "$tmp/gen/sites.csv"
check "CSV lines end in CRLF" test "$(head -1 "$tmp/gen/sites.csv" | od -An -c | tr -d ' \n' | tail -c 4)" = '\r\n'

"$GW" sample manifest --pages "$PAGES" >"$tmp/manifest.json"
check "manifest verb prints the same manifest as generate wrote" cmp -s "$tmp/manifest.json" "$tmp/gen/manifest.json"
check "manifest is JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/manifest.json"
"$GW" sample generate --out "$tmp/gen2" --pages "$PAGES" >/dev/null 2>&1
check "generate is deterministic" diff -r -q "$tmp/gen" "$tmp/gen2"
"$GW" sample manifest --pages "$PAGES" --no-stale-homepage >"$tmp/manifest3.json"
check "--no-stale-homepage drops the stale homepage defect" \
  test "$(grep -c '"stale_homepage"' "$tmp/manifest.json")" -gt "$(grep -c '"stale_homepage"' "$tmp/manifest3.json")"
"$GW" sample manifest --pages "$PAGES" --seed 2 >"$tmp/manifest2.json"
check "another seed gives another family" test "$(cmp -s "$tmp/manifest.json" "$tmp/manifest2.json"; echo $?)" != 0

# the CSVs register the family when the register commands are built in
if "$GW" help 2>/dev/null | grep -q "^  unit "; then
  db="$tmp/reg.db"
  check "unit import" "$GW" --db "$db" unit import "$tmp/gen/units.csv"
  check "site import" "$GW" --db "$db" site import "$tmp/gen/sites.csv"
  check "account import" "$GW" --db "$db" account import "$tmp/gen/accounts.csv"
else
  echo "# note: no 'unit' command in this build; import of the CSVs not tried"
fi

# ---- help and usage errors ----
"$GW" sample --help >"$tmp/help.out" 2>&1
st=$?
check "sample --help exits 0 (exit $st)" test "$st" = 0
check "sample --help lists the verbs" has "$tmp/help.out" "manifest"
for v in serve generate manifest; do
  "$GW" sample "$v" --help >"$tmp/help.out" 2>&1
  st=$?
  check "sample $v --help exits 0 (exit $st)" test "$st" = 0
  check "sample $v --help shows usage" has "$tmp/help.out" "usage: govwatch sample $v"
done
usage_error "no verb" "verb" sample
usage_error "unknown verb" "frob" sample frob
usage_error "port out of range" "70000" sample serve --port 70000
usage_error "port names the option" "--port" sample serve --port 70000
usage_error "port not a number" "8o8o" sample serve --port 8o8o
usage_error "unknown fault" "bogus" sample serve --fault bogus
usage_error "option without value" "needs a value" sample serve --port
usage_error "unknown option" "--nope" sample serve --nope
usage_error "stray argument" "stray" sample manifest stray
usage_error "generate without --out" "--out" sample generate
usage_error "pages not a number" "abc" sample generate --out "$tmp/x" --pages abc
usage_error "pages too many" "100001" sample manifest --pages 100001
usage_error "impossible date" "2025-02-30" sample manifest --as-of 2025-02-30
usage_error "date out of range" "1999-01-01" sample manifest --as-of 1999-01-01
usage_error "pages too few" "59" sample manifest --pages 59
usage_error "flag with a value" "--ipv6" sample serve --ipv6=yes
check "no output directory from failed generate" test ! -e "$tmp/x"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
