#!/usr/bin/env bash
# Link availability end to end: the sample family served by `govwatch
# sample serve` on loopback (every served host mapped with
# network.connect_to, network.mapped_only so the unresolvable hosts fail as
# DNS failures without a look-up), registered, crawled, checked; then
# `govwatch links --broken --json` and `govwatch findings --json` must give
# exactly the manifest's planted broken links (broken_link and soft_404
# defects, and those listed with counts_as_broken_link: the redirect loop
# and the hidden spam link) with their source pages, homepage links apart,
# and nothing else - on a well-behaved server and under the fixture
# server's fault modes. A 429 that never clears is reported as unknown,
# never as broken. Also: re-running the checks replaces the run's findings,
# --csv, --only and usage errors.
set -u
. "$(dirname "$0")/lib.sh"

expect_ok "sample generate" sample generate --out "$E2E_TMP/gen"
MANIFEST="$E2E_TMP/gen/manifest.json"
hosts=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["hosts"]))' "$MANIFEST")

# start_server ARGS...: a fresh `sample serve` with these options; sets
# $port and writes the configuration $CFG for it.
start_server() {
  e2e_stop_server
  e2e_serve "$@"
  CFG="$E2E_TMP/govwatch.yaml"
  e2e_config "$CFG" "$hosts"
  {
    echo "  timeout: 15"
    echo "crawl:"
    echo "  calendar_depth: 6"
  } >>"$CFG"
}

# fresh_db NAME: a new store with the family registered.
fresh_db() {
  E2E_DB="$E2E_TMP/$1.db"
  rm -f "$E2E_DB"
  expect_ok "unit import ($1)" --config "$CFG" unit import "$E2E_TMP/gen/units.csv"
  expect_ok "site import ($1)" --config "$CFG" site import "$E2E_TMP/gen/sites.csv"
}

# Compare `links --broken --json` and `findings --json` of every site (in
# files DIR/links-CODE.json, DIR/findings-CODE.json) with the manifest.
# MODE exact: the broken set is exactly the planted one. MODE subset: no
# broken link outside the planted set, and every target answered 403/429 is
# unknown (a fault made part of the family unreachable).
compare() {
  python3 - "$MANIFEST" "$1" "$2" <<'PY'
import json, sys, os
manifest, d, mode = sys.argv[1], sys.argv[2], sys.argv[3]
m = json.load(open(manifest))
unresolvable = set(m["unresolvable_hosts"])
problems = []
def host(u):
    return u.split("/")[2]
for site in m["sites"]:
    code, home = site["code"], site["url"]
    planted = {}
    for x in m["defects"]:
        if x["site"] != site["host"]:
            continue
        if x["kind"] in ("broken_link", "soft_404") or x.get("counts_as_broken_link"):
            planted[x["target"]] = x
    links = json.load(open(os.path.join(d, "links-%s.json" % code)))
    found = json.load(open(os.path.join(d, "findings-%s.json" % code)))
    broken = {l["target"]: l for l in links["links"]}
    if any(l["class"] != "broken" for l in links["links"]):
        problems.append("%s: --broken listed a link that is not broken" % code)
    if links["counts"]["broken"] != len(broken):
        problems.append("%s: counts.broken %d, listed %d" % (code, links["counts"]["broken"], len(broken)))
    extra = sorted(set(broken) - set(planted))
    if extra:
        problems.append("%s: false positives: %s" % (code, ", ".join("%s (%s)" % (t, broken[t]["detail"]) for t in extra)))
    if mode == "exact":
        missing = sorted(set(planted) - set(broken))
        if missing:
            problems.append("%s: planted broken links not found: %s" % (code, ", ".join(missing)))
    for t, x in planted.items():
        l = broken.get(t)
        if not l:
            continue
        pages = {s["page"] for s in l["sources"]}
        if x["url"] not in pages:
            problems.append("%s: %s: source page %s not among %s" % (code, t, x["url"], sorted(pages)))
        if x["kind"] == "soft_404":
            want = "soft_404"
        elif x["kind"] == "redirect_loop":
            want = "redirect_loop"
        elif host(t) in unresolvable:
            want = "dns"
        else:
            want = "http_4xx"
        if l["reason"] != want:
            problems.append("%s: %s: reason %s, expected %s" % (code, t, l["reason"], want))
        if want == "http_4xx" and l["status"] != x.get("status"):
            problems.append("%s: %s: status %s, expected %s" % (code, t, l["status"], x.get("status")))
        if x.get("tag") and not any(s["tag"] == x["tag"] for s in l["sources"] if s["page"] == x["url"]):
            problems.append("%s: %s: no <%s> occurrence on %s" % (code, t, x["tag"], x["url"]))
        anchors = x.get("anchors") or ([x["anchor"]] if x.get("anchor") else [])
        got = {s["anchor"] for s in l["sources"]}
        for a in anchors:
            if a not in got:
                problems.append("%s: %s: anchor %r not among %s" % (code, t, a, sorted(got)))
    # findings: one per broken target and scope, the scope by where it is linked
    want = set()
    for t, l in broken.items():
        if l["homepage_occurrences"] > 0:
            want.add(("link.broken.homepage", t))
        if l["occurrences"] > l["homepage_occurrences"]:
            want.add(("link.broken.other", t))
    have = {(f["rule"], f["target"]) for f in found["findings"]}
    if have != want or len(found["findings"]) != len(want):
        problems.append("%s: findings %s, expected %s" % (code, sorted(have), sorted(want)))
    for t, x in planted.items():
        if t not in broken:
            continue
        rule = "link.broken.homepage" if x["url"] == home else "link.broken.other"
        f = [f for f in found["findings"] if f["rule"] == rule and f["target"] == t]
        if not f:
            problems.append("%s: no %s finding for %s" % (code, rule, t))
            continue
        f = f[0]
        if f["check"] != "links.broken" or f["severity"] != "deduct" or len(f["fingerprint"]) != 16:
            problems.append("%s: finding for %s: %s/%s/%s" % (code, t, f["check"], f["severity"], f["fingerprint"]))
        if x["url"] not in {s["page"] for s in f["observed"]["sources"]}:
            problems.append("%s: finding for %s lacks source %s" % (code, t, x["url"]))
        if x["kind"] == "soft_404" and "软404：页面返回200但内容为错误页" not in f["detail"]:
            problems.append("%s: soft-404 finding detail: %s" % (code, f["detail"]))
        if f["title"] != ("首页链接不可用" if rule == "link.broken.homepage" else "其他页面链接不可用"):
            problems.append("%s: title %s" % (code, f["title"]))
    if mode == "subset":
        for l in json.load(open(os.path.join(d, "all-%s.json" % code)))["links"]:
            if l["status"] in (403, 429) and l["class"] != "unknown":
                problems.append("%s: %s answered %s but is %s" % (code, l["target"], l["status"], l["class"]))
if problems:
    print("\n".join(problems))
    sys.exit(1)
PY
}

# run_family LABEL MODE: crawl, check, and compare every site.
run_family() {
  local label=$1 mode=$2 dir="$E2E_TMP/out-$1"
  mkdir -p "$dir"
  fresh_db "$label"
  expect_ok "crawl --all ($label)" --config "$CFG" crawl --all
  expect_ok "check --all ($label)" --config "$CFG" --json check --all --only links.broken
  cp "$OUT" "$dir/check.json"
  for code in $(python3 -c 'import json,sys; print(" ".join(s["code"] for s in json.load(open(sys.argv[1]))["sites"]))' "$MANIFEST"); do
    expect_ok "links --broken ($label $code)" --config "$CFG" --json links "$code" --broken
    cp "$OUT" "$dir/links-$code.json"
    expect_ok "findings ($label $code)" --config "$CFG" --json findings "$code" --check links.broken
    cp "$OUT" "$dir/findings-$code.json"
    if [ "$mode" = subset ]; then
      expect_ok "links ($label $code)" --config "$CFG" --json links "$code"
      cp "$OUT" "$dir/all-$code.json"
    fi
  done
  local why
  why=$(compare "$dir" "$mode") || fail "$label: links differ from the manifest:
$why"
  pass
}

# ---- a well-behaved server ----
start_server
run_family clean exact
n_planted=$(python3 -c '
import json,sys
m=json.load(open(sys.argv[1]))
print(sum(1 for x in m["defects"] if x["kind"] in ("broken_link","soft_404") or x.get("counts_as_broken_link")))' "$MANIFEST")
expect_eq "$n_planted" 11 "planted broken links in the default family"

# the summary of the last check
expect_ok "check again (text)" --config "$CFG" check 3399220001 --only links.broken
expect_out_has "链接可用性"
expect_out_has "link.broken.homepage 1，link.broken.other 4"
expect_out_has "发现问题 5 条"
# re-running on the same crawl and as-of time replaces, no duplicates
expect_ok "findings before" --config "$CFG" --json findings 3399220001 --check links.broken
run1=$(json_get 'j["run"]["id"]')
fps1=$(json_get 'sorted(f["fingerprint"] for f in j["findings"])')
expect_ok "check once more" --config "$CFG" --json check 3399220001 --only links.broken
expect_json 'j["runs"][0]["run_id"]' "$run1"
expect_json 'j["runs"][0]["findings"]' 5
expect_json 'j["runs"][0]["checks"][0]["by_rule"]["link.broken.homepage"]' 1
expect_ok "findings after" --config "$CFG" --json findings 3399220001 --check links.broken
expect_json 'j["run"]["id"]' "$run1"
expect_json 'len(j["findings"])' 5
expect_json 'sorted(f["fingerprint"] for f in j["findings"])' "$fps1"
expect_json '[f["observed"]["soft_404"]["canary_status"] for f in j["findings"] if f["observed"]["reason"] == "soft_404"]' '[404]'
# another as-of time is another run
expect_ok "check --as-of" --config "$CFG" --json check 3399220001 --as-of "2025-03-31 12:00" --only links.broken
expect_json 'j["runs"][0]["run_id"] != '"$run1" true
expect_json 'j["runs"][0]["as_of"]' "2025-03-31T12:00:00+08:00"

# the text listing and CSV
expect_ok "links --broken (text)" --config "$CFG" links 3399220006 --broken
expect_out_has "不可用  http://qxz.qingxi.gov.cn/loop/a"
expect_out_has "重定向循环：http://qxz.qingxi.gov.cn/loop/a → http://qxz.qingxi.gov.cn/loop/b → http://qxz.qingxi.gov.cn/loop/a"
expect_out_lacks "正常  "
expect_ok "links (text, every class)" --config "$CFG" links 3399220006
expect_out_has "重定向  http://qxz.qingxi.gov.cn/old/index.html"
expect_out_has "未检查  http://qxz.qingxi.gov.cn/calendar/?month="
expect_ok "links --csv" --config "$CFG" links 3399220005 --broken --csv
expect_out_has "网站名称,目标链接,结果,原因,说明,状态码,错误类型,来源页面,锚文本,标签,行号,首页链接,隐藏链接,检测时间"
expect_out_has "青溪县自然资源和规划局,http://www.xx-bet-casino.com/,不可用,域名无法解析,域名 www.xx-bet-casino.com 无法解析,,dns,http://zrzyj.qingxi.gov.cn/,澳门博彩,a,"
expect_out_has ",是,display:none,"
rows=$(grep -c "^青溪县自然资源和规划局," "$OUT")
expect_eq "$rows" 3 "CSV rows: two spam occurrences and the missing image"
expect_ok "findings (text)" --config "$CFG" findings 3399220005
expect_out_has "首页链接不可用（links.broken · link.broken.homepage · 扣分）"
expect_out_has "隐藏链接（display:none）"
expect_out_has "指纹："

# usage and input errors name the input
expect_rc 2 "check: no SITE" --config "$CFG" check
expect_err_has "missing argument SITE (or --all)"
expect_rc 2 "check: unknown --only" --config "$CFG" check 3399220001 --only links.nope
expect_err_has "unknown check 'links.nope' (known: "
expect_err_has "links.broken"
expect_rc 2 "check: bad --as-of" --config "$CFG" check 3399220001 --as-of 2025-02-30
expect_err_has "--as-of '2025-02-30'"
expect_rc 4 "links: unknown site" --config "$CFG" links 9999999999
expect_err_has "'9999999999'"
expect_rc 2 "links: --json and --csv" --config "$CFG" --json links 3399220001 --csv
expect_rc 2 "findings: unknown --check" --config "$CFG" findings 3399220001 --check nope
expect_err_has "--check 'nope'"

# ---- fault modes: retries recover, nothing false, nothing missed ----
start_server --fault slow --slow-ms 300 --fault-every 3
run_family slow exact
start_server --fault reset --fault-times 2
run_family reset exact
start_server --fault 5xx --fault-times 2
run_family 5xx exact
start_server --fault 429 --retry-after 1 --fault-times 1 --fault-every 10
run_family 429 exact
start_server --fault truncate --fault-times 2
run_family truncate exact
start_server --fault bad-length --fault-times 2
run_family bad-length exact
start_server --fault gzip
run_family gzip exact

# ---- a 429 that never clears: unknown, never broken ----
start_server --fault 429 --retry-after 1 --fault-every 10
run_family 429-always subset
blocked=$(python3 - "$E2E_TMP/out-429-always" <<'PY'
import json, glob, sys
n = 0
for f in glob.glob(sys.argv[1] + "/all-*.json"):
    n += sum(1 for l in json.load(open(f))["links"] if l["status"] == 429 and l["class"] == "unknown")
print("yes" if n > 0 else "no")
PY
)
expect_eq "$blocked" yes "some links answered 429 and were reported unknown"

finish
