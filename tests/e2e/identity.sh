#!/usr/bin/env bash
# Site identity and IPv6 end to end: the sample family served by `govwatch
# sample serve` on loopback, registered, crawled, checked with
# identity.footer and identity.domain; the findings of those checks must be
# exactly the manifest's missing_footer_identifier (党政机关网站标识) and
# wrong_site_code defects of 自然资源和规划局, with the values the manifest
# names, and nothing else on any site. Then ipv6.support: with the server
# on 127.0.0.1 and [::1] and each host mapped to both (docs/checks.md:
# "IPv6 in tests"), no site is reported; with the server on 127.0.0.1
# only, every site is reported as ipv6.unsupported with no AAAA record.
set -u
. "$(dirname "$0")/lib.sh"

expect_ok "sample generate" sample generate --out "$E2E_TMP/gen"
MANIFEST="$E2E_TMP/gen/manifest.json"
hosts=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["hosts"]))' "$MANIFEST")
codes=$(python3 -c 'import json,sys; print(" ".join(s["code"] for s in json.load(open(sys.argv[1]))["sites"]))' "$MANIFEST")

# start_server V6 ARGS...: a fresh `sample serve`; V6 = yes listens on [::1]
# too and maps every host to both addresses (IPv4 entry first, then the
# IPv6 one); further ARGS go to `sample serve`. Sets $port and writes $CFG.
start_server() {
  local v6=$1
  shift
  local extra=() family=
  if [ "$v6" = yes ]; then extra=(--ipv6); family=v6; fi
  e2e_serve "${extra[@]}" "$@"
  CFG="$E2E_TMP/govwatch.yaml"
  e2e_config "$CFG" "$hosts" $family
  {
    echo "  attempts: 1"
    echo "crawl:"
    echo "  calendar_depth: 6"
  } >>"$CFG"
}

fresh_db() {
  E2E_DB="$E2E_TMP/$1.db"
  rm -f "$E2E_DB"
  expect_ok "unit import ($1)" --config "$CFG" unit import "$E2E_TMP/gen/units.csv"
  expect_ok "site import ($1)" --config "$CFG" site import "$E2E_TMP/gen/sites.csv"
}

# collect DIR: every site's findings into DIR/findings-CODE.json
collect() {
  local dir=$1
  for code in $codes; do
    expect_ok "findings ($code)" --config "$CFG" --json findings "$code"
    cp "$OUT" "$dir/findings-$code.json"
  done
}

# ---- identity.footer and identity.domain on the family ----
start_server no
fresh_db identity
mkdir -p "$E2E_TMP/id"
expect_ok "crawl --all" --config "$CFG" crawl --all
expect_ok "check identity" --config "$CFG" --json check --all --only identity.footer,identity.domain
collect "$E2E_TMP/id"
why=$(python3 - "$MANIFEST" "$E2E_TMP/id" <<'PY'
import json, sys, os
m = json.load(open(sys.argv[1])); d = sys.argv[2]
problems = []
want = {}
for x in m["defects"]:
    if x["kind"] == "missing_footer_identifier":
        assert x["identifier"] == "党政机关网站标识"
        want[(x["site"], "identity.footer", "conac.missing")] = x
    elif x["kind"] == "wrong_site_code":
        want[(x["site"], "identity.code", "code.wrong")] = x
if len(want) != 2:
    problems.append("manifest: expected 2 identity defects, found %d" % len(want))
have = {}
for s in m["sites"]:
    for f in json.load(open(os.path.join(d, "findings-%s.json" % s["code"])))["findings"]:
        if f["check"] not in ("identity.footer", "identity.domain"):
            problems.append("%s: finding of another check: %s" % (s["code"], f["check"]))
            continue
        have[(s["host"], f["rule"], f["observed"]["problem"])] = (s, f)
for k in sorted(set(have) - set(want)):
    problems.append("false positive: %s: %s" % (k, have[k][1]["detail"]))
for k in sorted(set(want) - set(have)):
    problems.append("planted defect not found: %s" % (k,))
for k, x in want.items():
    if k not in have:
        continue
    s, f = have[k]
    if f["url"] != x["url"]:
        problems.append("%s: url %s, expected the homepage %s" % (k, f["url"], x["url"]))
    o = f["observed"]
    if not o["homepage_affected"] or o["pages_sampled"] < 2 or o["pages_affected"] != o["pages_sampled"]:
        problems.append("%s: every sampled page should show it: %s" % (k, o))
    if f["severity"] != "deduct" or not f["detail"]:
        problems.append("%s: severity %s" % (k, f["severity"]))
    if x["kind"] == "wrong_site_code":
        if o["register_code"] != x["correct"] or o["pages"][0]["seen"] != x["suspect"] or f["target"] != x["suspect"]:
            problems.append("%s: codes %s / %s, expected %s shown for %s" % (k, o["register_code"], o["pages"][0]["seen"], x["suspect"], x["correct"]))
        if x["suspect"] not in f["detail"] or x["correct"] not in f["detail"]:
            problems.append("%s: detail lacks the codes: %s" % (k, f["detail"]))
if problems:
    print("\n".join(problems)); sys.exit(1)
PY
) || fail "identity findings differ from the manifest:
$why"
pass

# ---- ipv6.support: dual stack, then IPv4 only ----
# ipv6_run LABEL V6 WANT: crawl and check ipv6.support; WANT "none" = no
# ipv6.unsupported finding on any site, "all" = one on every site with no
# IPv6 address.
ipv6_run() {
  local label=$1 v6=$2 want=$3 dir="$E2E_TMP/$1"
  start_server "$v6"
  fresh_db "$label"
  mkdir -p "$dir"
  expect_ok "crawl --all ($label)" --config "$CFG" crawl --all
  expect_ok "check ipv6 ($label)" --config "$CFG" --json check --all --only ipv6.support
  collect "$dir"
  local why
  why=$(python3 - "$MANIFEST" "$dir" "$want" <<'PY'
import json, sys, os
m = json.load(open(sys.argv[1])); d = sys.argv[2]; want = sys.argv[3]
problems = []
for s in m["sites"]:
    fs = json.load(open(os.path.join(d, "findings-%s.json" % s["code"])))["findings"]
    if any(f["check"] != "ipv6.support" for f in fs):
        problems.append("%s: findings of other checks" % s["code"])
    if want == "none":
        for f in fs:
            problems.append("%s: unexpected %s: %s" % (s["code"], f["rule"], f["detail"]))
        continue
    if len(fs) != 1:
        problems.append("%s: %d findings, expected one ipv6.unsupported" % (s["code"], len(fs)))
        continue
    f = fs[0]; o = f["observed"]
    if f["rule"] != "ipv6.unsupported" or f["url"] != s["url"] or f["title"] != "网站不支持IPv6访问":
        problems.append("%s: %s %s %s" % (s["code"], f["rule"], f["url"], f["title"]))
    if o["aaaa"] or o["degree"] != "none" or not o["homepage_access"]["v4_ok"] or o["homepage_access"]["v6_ok"]:
        problems.append("%s: evidence %s" % (s["code"], json.dumps(o, ensure_ascii=False)))
    if o["homepage_access"]["v6_error"] != "dns" or "AAAA 记录（IPv6 地址）：无" not in f["detail"]:
        problems.append("%s: detail %s / %s" % (s["code"], o["homepage_access"]["v6_error"], f["detail"]))
if problems:
    print("\n".join(problems)); sys.exit(1)
PY
) || fail "$label: ipv6.support findings:
$why"
  pass
}
ipv6_run dual yes none
ipv6_run v4only no all

# ---- search.box: every default site's search finds its articles; with
# --broken-search exactly the health bureau's is broken ----
# search_run LABEL ARGS...: crawl, check search.box, compare with the
# manifest of the same options.
search_run() {
  local label=$1 dir="$E2E_TMP/$1"
  shift
  start_server no "$@"
  expect_ok "manifest ($label)" sample manifest "$@"
  cp "$OUT" "$dir.manifest.json"
  fresh_db "$label"
  mkdir -p "$dir"
  expect_ok "crawl --all ($label)" --config "$CFG" crawl --all
  expect_ok "check search ($label)" --config "$CFG" --json check --all --only search.box
  collect "$dir"
  local why
  why=$(python3 - "$dir.manifest.json" "$dir" <<'PY'
import json, sys, os
m = json.load(open(sys.argv[1])); d = sys.argv[2]
problems = []
want = {x["site"]: x for x in m["defects"] if x["kind"] == "search_broken"}
for s in m["sites"]:
    fs = json.load(open(os.path.join(d, "findings-%s.json" % s["code"])))["findings"]
    if s["host"] not in want:
        for f in fs:
            problems.append("%s: false positive %s: %s" % (s["code"], f["rule"], f["detail"]))
        continue
    x = want[s["host"]]
    if len(fs) != 1 or fs[0]["rule"] != "search.broken":
        problems.append("%s: findings %s, expected one search.broken" % (s["code"], [f["rule"] for f in fs]))
        continue
    f = fs[0]; o = f["observed"]
    if f["url"] != x["url"] or f["target"] != x["search_url"] or o["form_input"] != "q":
        problems.append("%s: url %s target %s input %s" % (s["code"], f["url"], f["target"], o["form_input"]))
    if len(o["attempts"]) != 3 or any(a["found"] or a["status"] != 200 or a["result_links"] != x["results"] for a in o["attempts"]):
        problems.append("%s: attempts %s" % (s["code"], json.dumps(o["attempts"], ensure_ascii=False)))
    if not all(a["query_url"].startswith(x["search_url"] + "?q=") for a in o["attempts"]):
        problems.append("%s: query URLs %s" % (s["code"], [a["query_url"] for a in o["attempts"]]))
if problems:
    print("\n".join(problems)); sys.exit(1)
PY
) || fail "$label: search.box findings:
$why"
  pass
}
search_run search
search_run broken-search --broken-search
finish
