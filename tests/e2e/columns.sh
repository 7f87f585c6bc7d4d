#!/usr/bin/env bash
# Column and homepage updates end to end: the sample family served by
# `govwatch sample serve` on loopback, registered, crawled and checked at
# several as-of times. The findings of columns.update and homepage.update
# must be exactly the stale columns, empty columns and stale homepage that
# the manifest's column dates and windows give at that time (computed here
# from the manifest, day precision, windows measured back from the as-of
# day with month-end clamping) - at the family's own as-of time they must
# also be exactly the manifest's planted stale_column / empty_column /
# stale_homepage defects. `govwatch columns --json` must list the
# manifest's 82 columns with their class, level, items and newest date.
# With --no-stale-homepage the town site is fresh. An inspector's class
# override changes the next check's result. Plus usage errors.
set -u
. "$(dirname "$0")/lib.sh"

# start_server GENDIR ARGS...: generate the family into GENDIR and start a
# fresh `sample serve` with the same options; sets $port, $MANIFEST, $CFG.
start_server() {
  local gen=$1
  shift
  e2e_stop_server
  expect_ok "sample generate $*" sample generate --out "$gen" "$@"
  MANIFEST="$gen/manifest.json"
  local hosts
  hosts=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["hosts"]))' "$MANIFEST")
  e2e_serve "$@"
  CFG="$E2E_TMP/govwatch.yaml"
  e2e_config "$CFG" "$hosts"
  {
    echo "crawl:"
    echo "  calendar_depth: 6"
  } >>"$CFG"
}

# crawl_family NAME GENDIR: a new store with the family registered and crawled.
crawl_family() {
  E2E_DB="$E2E_TMP/$1.db"
  rm -f "$E2E_DB"
  expect_ok "unit import ($1)" --config "$CFG" unit import "$2/units.csv"
  expect_ok "site import ($1)" --config "$CFG" site import "$2/sites.csv"
  expect_ok "crawl --all ($1)" --config "$CFG" crawl --all
}

CODES="3399220001 3399220002 3399220003 3399220004 3399220005 3399220006"

# check_at LABEL ASOF [ONLY]: run the checks at ASOF, save every site's
# findings of the two checks and its column listing in $E2E_TMP/LABEL/.
check_at() {
  local label=$1 asof=$2 only=${3:-}
  local dir="$E2E_TMP/$label"
  mkdir -p "$dir"
  if [ -n "$only" ]; then
    expect_ok "check --all ($label)" --config "$CFG" --json check --all --as-of "$asof" --only "$only"
  else
    expect_ok "check --all ($label)" --config "$CFG" --json check --all --as-of "$asof" --no-probe
  fi
  for code in $CODES; do
    expect_ok "findings columns.update ($label $code)" --config "$CFG" --json findings "$code" --check columns.update
    cp "$OUT" "$dir/col-$code.json"
    expect_ok "findings homepage.update ($label $code)" --config "$CFG" --json findings "$code" --check homepage.update
    cp "$OUT" "$dir/home-$code.json"
    expect_ok "columns ($label $code)" --config "$CFG" --json columns "$code" --as-of "$asof"
    cp "$OUT" "$dir/list-$code.json"
  done
}

# compare LABEL ASOF PLANTED: the findings of $E2E_TMP/LABEL against the
# manifest's dates at ASOF; PLANTED=1 also requires them to be exactly the
# manifest's planted defects.
compare() {
  python3 - "$MANIFEST" "$E2E_TMP/$1" "$2" "$3" <<'PY'
import datetime, json, os, sys
manifest, d, asof, planted = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
m = json.load(open(manifest))
asday = datetime.date.fromisoformat(asof[:10])

def back(months):
    y, mo = divmod(asday.year * 12 + asday.month - 1 - months, 12)
    mo += 1
    nxt = datetime.date(y + (mo == 12), mo % 12 + 1, 1)
    last = (nxt - datetime.timedelta(days=1)).day
    return datetime.date(y, mo, min(asday.day, last))

def start(w):
    if w.endswith("d"):
        return asday - datetime.timedelta(days=int(w[:-1]))
    if w.endswith("m"):
        return back(int(w[:-1]))
    return back(12 * int(w[:-1]))

problems = []
for site in m["sites"]:
    code, host = site["code"], site["host"]
    want = {}
    for c in site["columns"]:
        key = "column|" + c["url"]
        if c["items"] == 0:
            want[key] = "column.empty"
            continue
        w = c["update_window"]
        if not w:
            continue
        latest = datetime.date.fromisoformat(c["latest"]) if c["latest"] else None
        if latest is not None and latest >= start(w):
            continue
        if c["class"] == "news":
            want[key] = "column.stale.dynamic"
        elif c["class"] in ("notice", "policy") and c["level"] == 1:
            want[key] = "column.stale.%s_l1" % c["class"]
        else:
            want[key] = "column.stale.long"
    got = {f["key"]: f["rule"] for f in json.load(open(os.path.join(d, "col-%s.json" % code)))["findings"]}
    if got != want:
        problems.append("%s columns: got %s, expected %s" % (code, sorted(got.items()), sorted(want.items())))
    for f in json.load(open(os.path.join(d, "col-%s.json" % code)))["findings"]:
        o = f["observed"]
        if f["url"] != o["url"] or f["check"] != "columns.update" or not f["detail"] or not f["title"]:
            problems.append("%s: finding %s lacks its evidence" % (code, f["key"]))
        mc = [c for c in site["columns"] if c["url"] == o["url"]][0]
        if (o["class"], o["level"], o["items"], o["latest"]) != (mc["class"], mc["level"], mc["items"], mc["latest"]):
            problems.append("%s: %s observed %s" % (code, o["url"], o))
    hl = datetime.date.fromisoformat(site["homepage_latest"])
    home_stale = hl < asday - datetime.timedelta(days=14)
    hf = json.load(open(os.path.join(d, "home-%s.json" % code)))["findings"]
    if [f["rule"] for f in hf] != (["homepage.stale"] if home_stale else []):
        problems.append("%s homepage: got %s, homepage_latest %s" % (code, [f["rule"] for f in hf], hl))
    for f in hf:
        if f["observed"]["latest"] != site["homepage_latest"]:
            problems.append("%s homepage: latest %s" % (code, f["observed"]["latest"]))
    # the listing: every manifest column with its class, level, items, newest date
    lst = json.load(open(os.path.join(d, "list-%s.json" % code)))
    gl = {c["url"]: c for c in lst["columns"]}
    ml = {c["url"]: c for c in site["columns"]}
    if set(gl) != set(ml):
        problems.append("%s listing: %s vs %s" % (code, sorted(set(gl) ^ set(ml)), ""))
    for u, c in ml.items():
        g = gl.get(u)
        if g and (g["title"], g["class"], g["level"], g["items"], g["latest"], len(g["pages"]), g["window"]) != (
                c["name"], c["class"], c["level"], c["items"], c["latest"], c["list_pages"], c["update_window"]):
            problems.append("%s listing %s: %s" % (code, u, g))
        if g and (g["rule"] is not None) != (("column|" + u) in want):
            problems.append("%s listing %s: state %s" % (code, u, g["state"]))
    v4 = lst["v4"]
    n1 = sum(1 for r in want.values() if r != "column.empty" and r != "column.stale.long")
    ne = sum(1 for r in want.values() if r == "column.empty")
    conds = {c["id"]: c for c in v4["conditions"]}
    if conds["1"]["count"] != n1 or conds["3"]["count"] != ne or conds["1"]["at_least"] != 5:
        problems.append("%s v4: %s (expected %d, %d)" % (code, v4, n1, ne))
    if planted:
        pl = {}
        for x in m["defects"]:
            if x["site"] != host:
                continue
            if x["kind"] in ("stale_column", "empty_column"):
                u = [c["url"] for c in site["columns"] if c["name"] == x["column"]][0]
                pl["column|" + u] = x["kind"]
            if x["kind"] == "stale_homepage":
                pl["homepage"] = x["kind"]
        mine = {k: ("empty_column" if r == "column.empty" else "stale_column") for k, r in want.items()}
        if home_stale:
            mine["homepage"] = "stale_homepage"
        if mine != pl:
            problems.append("%s: expectations %s differ from the planted defects %s" % (code, mine, pl))
if problems:
    print("\n".join(problems))
    sys.exit(1)
PY
}

# ---- the default family (stale homepage on) ----
start_server "$E2E_TMP/gen"
crawl_family family "$E2E_TMP/gen"
AS_OF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["as_of"])' "$MANIFEST")
expect_eq "$AS_OF" "2025-03-31T12:00:00+08:00" "the family's as-of time"

check_at base "2025-03-31 12:00"
why=$(compare base "2025-03-31" 1) || fail "at the family's as-of time: $why"
pass
# the wjj site: five stale columns and five empty ones, both V4 vetoes
E2E_LAST="columns --json 3399220003"
cp "$E2E_TMP/base/list-3399220003.json" "$OUT"
expect_json 'j["v4"]["hit"]' true
expect_json '[c["count"] for c in j["v4"]["conditions"]]' "[5, 0, 5]"
cp "$E2E_TMP/base/list-3399220002.json" "$OUT"
expect_json 'j["v4"]["hit"]' false
expect_json 'j["counts"]["columns"]' 13

# one month and three months later: the same crawl, judged again (the clean
# site's 动态 columns and homepage go stale)
check_at month "2025-04-30 12:00" columns.update,homepage.update
why=$(compare month "2025-04-30" 0) || fail "a month later: $why"
pass
check_at quarter "2025-06-30 12:00" columns.update,homepage.update
why=$(compare quarter "2025-06-30" 0) || fail "three months later: $why"
pass
E2E_LAST="findings --check homepage.update 3399220002 (2025-06-30)"
cp "$E2E_TMP/quarter/home-3399220002.json" "$OUT"
expect_json '[f["rule"] for f in j["findings"]]' '["homepage.stale"]'
cp "$E2E_TMP/quarter/col-3399220002.json" "$OUT"
expect_json '"column|http://jyj.qingxi.gov.cn/xwzx/jyyw/" in [f["key"] for f in j["findings"]]' true

# ---- an override changes the next check ----
WJJ_GZDT="http://wjj.qingxi.gov.cn/gzdt/"
expect_ok "set-class" --config "$CFG" columns set-class 3399220003 "$WJJ_GZDT" topic --reason "该栏目实为专题汇编"
expect_out_has "指定为 专题专栏"
expect_ok "check after set-class" --config "$CFG" check 3399220003 --as-of "2025-03-31 12:00" --only columns.update
expect_ok "findings after set-class" --config "$CFG" --json findings 3399220003 --check columns.update
expect_json '"column|'"$WJJ_GZDT"'" in [f["key"] for f in j["findings"]]' false
expect_json 'len(j["findings"])' 9
expect_ok "columns after set-class" --config "$CFG" --json columns 3399220003 --as-of "2025-03-31 12:00"
expect_json '[(c["class"], c["overridden"], c["override_reason"], c["state"]) for c in j["columns"] if c["url"] == "'"$WJJ_GZDT"'"]' \
  '[["topic", true, "该栏目实为专题汇编", "not_judged"]]'
expect_json '[c["count"] for c in j["v4"]["conditions"]]' "[4, 0, 5]"
expect_ok "columns (text)" --config "$CFG" columns 3399220003 --as-of "2025-03-31 12:00"
expect_out_has "专题专栏（人工指定）"
expect_out_has "V4 栏目不更新：触发单项否决"
expect_ok "unset-class" --config "$CFG" columns unset-class 3399220003 "$WJJ_GZDT"
expect_ok "check after unset-class" --config "$CFG" check 3399220003 --as-of "2025-03-31 12:00" --only columns.update
expect_ok "findings after unset-class" --config "$CFG" --json findings 3399220003 --check columns.update
expect_json 'len(j["findings"])' 10
expect_rc 4 "unset-class again" --config "$CFG" columns unset-class 3399220003 "$WJJ_GZDT"
expect_err_has "no class override for column $WJJ_GZDT"

# usage errors
expect_rc 2 "columns: no SITE" --config "$CFG" columns
expect_rc 2 "columns: bad --as-of" --config "$CFG" columns 3399220003 --as-of 2025-02-30
expect_rc 2 "set-class: unknown class" --config "$CFG" columns set-class 3399220003 "$WJJ_GZDT" staff --reason x
expect_err_has "'staff' is not a column class"
expect_rc 2 "set-class: no --reason" --config "$CFG" columns set-class 3399220003 "$WJJ_GZDT" topic
expect_rc 2 "set-class: bad URL" --config "$CFG" columns set-class 3399220003 "ftp://x/" topic --reason x
expect_err_has "URL 'ftp://x/'"
expect_rc 4 "set-class: unknown site" --config "$CFG" columns set-class 3399229999 "$WJJ_GZDT" topic --reason x
expect_ok "columns --help" columns --help
expect_out_has "govwatch columns set-class SITE URL CLASS --reason TEXT"

# ---- the family with a fresh town site ----
start_server "$E2E_TMP/gen-fresh" --no-stale-homepage
crawl_family fresh "$E2E_TMP/gen-fresh"
check_at fresh "2025-03-31 12:00" columns.update,homepage.update
why=$(compare fresh "2025-03-31" 1) || fail "--no-stale-homepage: $why"
pass
E2E_LAST="findings --check homepage.update 3399220006 (fresh)"
cp "$E2E_TMP/fresh/home-3399220006.json" "$OUT"
expect_json 'len(j["findings"])' 0

e2e_stop_server
finish
