#!/usr/bin/env bash
# Security checks end to end on the sample family (served by `govwatch
# sample serve` on loopback, every host mapped with network.connect_to):
#  - the default family: exactly the planted hidden spam link on zrzyj
#    (security.hidden_link and its security.bad_content) and nothing else
#    from the security checks; the first check sets every homepage baseline;
#  - --cloak: the portal homepage shown differently to Baiduspider is found
#    (security.hidden_link, cloaking) and nothing else new;
#  - --tamper: the tampered portal homepage is found against its baseline
#    (security.defacement, with the new spam words and links), its gambling
#    links are bad content, nothing else new;
#  - back to the untampered family: no defacement; accepting the tampered
#    homepage as the baseline silences it; usage and dictionary errors.
set -u
. "$(dirname "$0")/lib.sh"

expect_ok "sample generate" sample generate --out "$E2E_TMP/gen"
MANIFEST="$E2E_TMP/gen/manifest.json"
hosts=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["hosts"]))' "$MANIFEST")
codes=$(python3 -c 'import json,sys; print(" ".join(s["code"] for s in json.load(open(sys.argv[1]))["sites"]))' "$MANIFEST")

# start_server ARGS...: a fresh `sample serve`; rewrites $CFG for its port.
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

# crawl_check LABEL: crawl and check every site, keep each site's
# security findings in $E2E_TMP/LABEL/CODE.json.
crawl_check() {
  local dir="$E2E_TMP/$1"
  mkdir -p "$dir"
  expect_ok "crawl --all ($1)" --config "$CFG" crawl --all
  expect_ok "check --all ($1)" --config "$CFG" --json check --all
  for code in $codes; do
    expect_ok "findings ($1 $code)" --config "$CFG" --json findings "$code"
    cp "$OUT" "$dir/$code.json"
  done
}

# compare LABEL MANIFEST: the security findings of every site are exactly
# those the manifest's security defects (hidden_spam_link, cloaked_page,
# tampered_homepage) call for, with their evidence.
compare() {
  python3 - "$2" "$E2E_TMP/$1" <<'PY'
import json, sys, os
m = json.load(open(sys.argv[1]))
d = sys.argv[2]
problems = []
for site in m["sites"]:
    code, host = site["code"], site["host"]
    want = set()
    defects = [x for x in m["defects"] if x["site"] == host]
    for x in defects:
        if x["kind"] == "hidden_spam_link":
            want.add(("security.hidden_link", "security.hidden_link", "hidden|" + x["target"]))
            want.add(("security.bad_link", "security.bad_content", "bad|" + x["target"]))
        elif x["kind"] == "cloaked_page":
            want.add(("security.hidden_link", "security.hidden_link", "cloak|" + x["url"]))
        elif x["kind"] == "tampered_homepage":
            want.add(("security.defacement", "security.defacement", "homepage|" + x["url"]))
            for t in x["targets"]:
                want.add(("security.bad_link", "security.bad_content", "bad|" + t))
    found = [f for f in json.load(open(os.path.join(d, code + ".json")))["findings"] if f["check"].startswith("security.")]
    have = {(f["check"], f["rule"], f["key"]) for f in found}
    if have != want or len(found) != len(want):
        problems.append("%s: security findings %s, expected %s" % (code, sorted(have), sorted(want)))
        continue
    for f in found:
        o = f["observed"]
        if f["severity"] != "veto":
            problems.append("%s: %s: severity %s" % (code, f["key"], f["severity"]))
        if f["key"].startswith(("hidden|", "bad|")):
            x = [x for x in defects if x.get("target") == f["target"] or f["target"] in x.get("targets", [])][0]
            if f["url"] != x["url"] or o["page"] != x["url"]:
                problems.append("%s: %s: page %s, expected %s" % (code, f["key"], f["url"], x["url"]))
            if o["tag"] != "a" or o["line"] <= 0 or not f["locator"].startswith("第 "):
                problems.append("%s: %s: tag/line %s/%s" % (code, f["key"], o["tag"], o["line"]))
            if sorted(o["anchors"]) != sorted(a for a in x["anchors"] if a in o["anchors"]) or not o["anchors"]:
                problems.append("%s: %s: anchors %s" % (code, f["key"], o["anchors"]))
            for a in o["anchors"]:
                if a not in x["anchors"]:
                    problems.append("%s: %s: anchor %s not planted" % (code, f["key"], a))
            if o["category"] not in ("gambling", "lottery") or not o["keyword"]:
                problems.append("%s: %s: keyword %s/%s" % (code, f["key"], o["keyword"], o["category"]))
            if x["kind"] == "hidden_spam_link":
                if o["hidden_by"] != x["hidden_by"] or ("隐藏方式：" + x["hidden_by"]) not in f["detail"]:
                    problems.append("%s: %s: hidden_by %s" % (code, f["key"], o["hidden_by"]))
                if x["target"] not in (f["snippet"] or ""):
                    problems.append("%s: %s: snippet %s" % (code, f["key"], f["snippet"]))
        elif f["key"].startswith("cloak|"):
            x = [x for x in defects if x["kind"] == "cloaked_page"][0]
            if not o["crawler_only_spam"] or "Baiduspider" not in o["crawler_user_agent"]:
                problems.append("%s: cloak: %s" % (code, o))
            if not set(o["crawler_only_links"]) <= set(x["targets"]):
                problems.append("%s: cloak links %s" % (code, o["crawler_only_links"]))
        elif f["key"].startswith("homepage|"):
            x = [x for x in defects if x["kind"] == "tampered_homepage"][0]
            if sorted(o["added_links"]) != sorted(x["targets"]) or o["removed_links"]:
                problems.append("%s: defacement links +%s -%s" % (code, o["added_links"], o["removed_links"]))
            if "博彩" not in o["new_spam"] or x["banner"] not in o["added_lines"]:
                problems.append("%s: defacement spam %s lines %s" % (code, o["new_spam"], o["added_lines"]))
            if "新出现违规关键词" not in f["detail"] or f["needs_review"]:
                problems.append("%s: defacement detail %s" % (code, f["detail"]))
if problems:
    print("\n".join(problems))
    sys.exit(1)
PY
}

# manifest_of ARGS...: the manifest of the family with these options.
manifest_of() {
  local out="$E2E_TMP/gen-$1"
  shift
  expect_ok "sample generate $*" sample generate --out "$out" "$@"
  echo "$out/manifest.json"
}

# ---- the default family ----
start_server
expect_ok "unit import" --config "$CFG" unit import "$E2E_TMP/gen/units.csv"
expect_ok "site import" --config "$CFG" site import "$E2E_TMP/gen/sites.csv"
crawl_check clean
why=$(compare clean "$MANIFEST") || fail "default family: $why"
pass
n=$(python3 -c 'import json,sys; print(sum(1 for x in json.load(open(sys.argv[1]))["defects"] if x["kind"] in ("hidden_spam_link","cloaked_page","tampered_homepage")))' "$MANIFEST")
expect_eq "$n" 1 "security defects in the default manifest"
expect_ok "baselines" --config "$CFG" --json baseline --all
expect_json 'len(j["baselines"])' 6
expect_json 'all(b["crawl_id"] and b["links"] > 0 and b["lines"] > 0 and b["threshold"] == 0.5 for b in j["baselines"])' true
base_crawl=$(json_get 'j["baselines"][0]["crawl_id"]')
expect_ok "findings text" --config "$CFG" findings 3399220005 --check security.hidden_link
expect_out_has "页面含暗链（隐藏的站外链接）（security.hidden_link · security.hidden_link · 单项否决）"
expect_out_has "隐藏方式：display:none"
expect_out_has '<div style="display:none"><a href="http://www.xx-bet-casino.com/">澳门博彩</a>'

# ---- cloaking ----
cloak_manifest=$(manifest_of cloak --cloak)
n=$(python3 -c 'import json,sys; print(sum(1 for x in json.load(open(sys.argv[1]))["defects"] if x["kind"] == "cloaked_page"))' "$cloak_manifest")
expect_eq "$n" 1 "cloaked_page defects with --cloak"
start_server --cloak
crawl_check cloak
why=$(compare cloak "$cloak_manifest") || fail "--cloak: $why"
pass

# ---- tampering ----
tamper_manifest=$(manifest_of tamper --tamper)
start_server --tamper
crawl_check tamper
why=$(compare tamper "$tamper_manifest") || fail "--tamper: $why"
pass
expect_ok "findings text (tamper)" --config "$CFG" findings 3399220001 --check security.defacement
expect_out_has "首页疑被篡改（出现违规内容）"
expect_out_has "新增链接 2 个"
expect_out_has "govwatch baseline 3399220001 --accept"
# the baseline is unchanged by a check that found tampering
expect_ok "baseline after tamper" --config "$CFG" --json baseline 3399220001
expect_json 'j["baselines"][0]["crawl_id"]' "$base_crawl"

# ---- untampered again: nothing ----
start_server
crawl_check restored
why=$(compare restored "$MANIFEST") || fail "restored family: $why"
pass

# ---- accepting the tampered homepage as the baseline silences it ----
start_server --tamper
crawl_check tamper2
why=$(compare tamper2 "$tamper_manifest") || fail "--tamper again: $why"
pass
expect_ok "baseline --accept" --config "$CFG" baseline 3399220001 --accept --threshold 0.3
expect_out_has "已更新首页基线"
expect_out_has "变化阈值 30%"
expect_ok "check after accept" --config "$CFG" --json check 3399220001 --only security.defacement
expect_ok "findings after accept" --config "$CFG" --json findings 3399220001 --check security.defacement
expect_json 'len(j["findings"])' 0
expect_ok "baseline shows the new crawl" --config "$CFG" --json baseline 3399220001
expect_json 'j["baselines"][0]["crawl_id"] != '"$base_crawl" true
expect_json 'j["baselines"][0]["threshold"]' 0.3

# ---- usage and data errors ----
expect_rc 2 "baseline: bad threshold" --config "$CFG" baseline 3399220001 --accept --threshold 1.5
expect_err_has "--threshold '1.5'"
expect_rc 2 "baseline: threshold without accept" --config "$CFG" baseline 3399220001 --threshold 0.4
expect_err_has "--threshold goes with --accept"
expect_rc 4 "baseline: unknown site" --config "$CFG" baseline 9999999999
expect_err_has "'9999999999'"
mkdir -p "$E2E_TMP/dict/security"
printf '# test\ngambling 博彩\nsports 足球\n' >"$E2E_TMP/dict/security/keywords.txt"
: >"$E2E_TMP/dict/security/script-hosts.txt"
GW_DICT_DIR="$E2E_TMP/dict" gw --config "$CFG" --json check 3399220005 --only security.bad_link
grep -qF "keywords.txt:3: unknown category 'sports'" "$OUT" "$ERR" || fail "a bad keywords.txt line is named with file:line"
pass

finish
