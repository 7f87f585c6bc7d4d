#!/usr/bin/env bash
# Inspections end to end: the sample family served by `govwatch sample
# serve` on loopback, registered, then `govwatch inspect --all --quarter
# 2025Q1 --as-of '2025-03-31 12:00'`. The verdicts and deductions must be
# those that follow from the manifest's planted defects and the checks this
# build has (`check --list`); every deduction in `score --json` must point
# at a stored finding with evidence; a re-run continues without duplicating
# anything; review (dismiss, confirm, manual findings) changes the score and
# is remembered by fingerprint; the circular (md, html, docx - converted by
# LibreOffice when installed), the self report and the XLSX exports hold the
# expected figures and rows.
#
# When a check lands, extend EFFECTS below (defect kind -> check id and
# what it does to the verdict); the rest of the assertions follow.
set -u
. "$(dirname "$0")/lib.sh"

RULES="${GW_SRC:?GW_SRC is not set}/rules/national-2019.yaml"
expect_ok "sample generate" sample generate --out "$E2E_TMP/gen"
MANIFEST="$E2E_TMP/gen/manifest.json"
hosts=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["hosts"]))' "$MANIFEST")
e2e_serve --ipv6
CFG="$E2E_TMP/govwatch.yaml"
# dual-stack, as a government site must be (IPv6 改造): every host on 127.0.0.1 and [::1]
e2e_config "$CFG" "$hosts" v6
echo "  timeout: 15" >>"$CFG"
g() { gw --config "$CFG" "$@"; }
ok() {
  local d=$1
  shift
  expect_rc 0 "$d" --config "$CFG" "$@"
}
rc() {
  local want=$1 d=$2
  shift 2
  expect_rc "$want" "$d" --config "$CFG" "$@"
}

ok "unit import" unit import "$E2E_TMP/gen/units.csv"
ok "site import" site import "$E2E_TMP/gen/sites.csv"
ok "account import" account import "$E2E_TMP/gen/accounts.csv"
ok "check --list" --json check --list
cp "$OUT" "$E2E_TMP/checks.json"

# ---- usage errors ----
rc 2 "inspect without sites" inspect --quarter 2025Q1
rc 2 "inspect without a time" inspect --all
rc 2 "inspect bad quarter" inspect --all --quarter 2025Q5
rc 2 "inspect --rules and --profile" inspect --all --quarter 2025Q1 --rules "$RULES" --profile x
rc 4 "inspect an unknown site" inspect --sites 3399220002,9999999999 --quarter 2025Q1
expect_err_has "--sites '9999999999'"
rc 2 "inspect --sites and --all" inspect --sites 3399220002 --all --quarter 2025Q1
rc 4 "score before any inspection" score 3399220001
expect_err_has "no inspection yet"

# ---- the inspection ----
ok "inspect --all" --json inspect --all --quarter 2025Q1 --as-of '2025-03-31 12:00' --rules "$RULES"
expect_json 'j["sites"]' 6
expect_json 'j["crawled"]' 6
expect_json 'j["checked"]' 6
expect_json 'j["failed"]' 0
expect_json 'j["finished"]' true
expect_json '"links.broken" in j["not_checked"]' false
INSP=$(json_get 'j["inspection"]')
# every running account of the register is inspected; nothing in this build
# judges the media veto items (content updates, interaction), so none passes
expect_json 'j["accounts"]' 6
expect_json 'j["account_pass"]' 0
expect_json 'j["account_fail"] + j["account_undetermined"]' 6
expect_json '"media.register" in j["not_checked"]' false

# ---- accounts ----
rc 4 "score --account of a site code" score 3399220001 --account
expect_err_has "no such account"
ok "score an account" --json score 微信服务号:青溪自然资源 --account --inspection "$INSP"
cp "$OUT" "$E2E_TMP/acct-zrzy.json"
# What media.uncertified does follows from the rules: a veto of the media
# part fails the account, otherwise the finding is carried (listed, not
# scored) and the unjudged veto items leave it 待定.
python3 - "$RULES" "$E2E_TMP/acct-zrzy.json" <<'PY' || fail "青溪自然资源 does not carry media.uncertified as the rules say"
import json, sys, yaml
rules = yaml.safe_load(open(sys.argv[1]))
s = json.load(open(sys.argv[2]))
veto = any("media.uncertified" in c.get("keys", []) for v in rules["media"].get("vetoes", []) for c in v.get("any", []))
f = [x for x in s["findings"] if x["rule"] == "media.uncertified"]
assert len(f) == 1, s["findings"]
assert f[0]["check"] == "media.register", f[0]
assert "青溪县国土资源局" in f[0]["detail"] and "青溪县自然资源和规划局" in f[0]["detail"], f[0]["detail"]
obs = f[0]["evidence"]["observed"]
assert obs["cert_subject"] == "青溪县国土资源局" and obs["unit"] == "青溪县自然资源和规划局", obs
if veto:
    assert s["result"] == "fail" and f[0]["status"] == "veto", (s["result"], f[0]["status"])
else:
    assert s["result"] == "undetermined" and f[0]["status"] == "unused", (s["result"], f[0]["status"])
PY
pass
ok "score an account (text)" score 青溪自然资源 --account --inspection "$INSP"
expect_out_has "政务新媒体评分表"
expect_out_has "M2 内容不更新：未能判定"
expect_out_has "认证主体“青溪县国土资源局”与开设主体“青溪县自然资源和规划局”不符"
# the other accounts are certified by their own unit: no register finding
ok "account findings" --json finding list --inspection "$INSP"
expect_json '[x["account"] for x in j if x.get("account")]' '["青溪自然资源"]'
ZRZY_FP=$(json_get '[x["fingerprint"] for x in j if x.get("account")][0]')
ok "findings of one account" --json finding list --inspection "$INSP" --account 青溪自然资源
expect_json '[x["rule"] for x in j]' '["media.uncertified"]'
ok "findings of a clean account" --json finding list --account 微信订阅号:青溪发布
expect_json 'len(j)' 0
rc 2 "list with --site and --account" finding list --site 3399220002 --account 青溪教育

# Scores and findings of every site, for the expectations below.
codes=$(python3 -c 'import json,sys; print(" ".join(s["code"] for s in json.load(open(sys.argv[1]))["sites"]))' "$MANIFEST")
mkdir -p "$E2E_TMP/s"
for code in $codes; do
  ok "score $code" --json score "$code" --inspection "$INSP"
  cp "$OUT" "$E2E_TMP/s/score-$code.json"
  ok "findings $code" --json findings "$code"
  cp "$OUT" "$E2E_TMP/s/findings-$code.json"
done

expect_verdicts() {
  python3 - "$MANIFEST" "$E2E_TMP/checks.json" "$E2E_TMP/s" <<'PY'
import json, os, sys
manifest, checks, d = sys.argv[1:4]
m = json.load(open(manifest))
have = {c["id"] for c in json.load(open(checks))}
# Planted defect kind -> (check that finds it, effect): "deduct" lowers the
# score through its rule keys, "veto" fails the site. Only kinds whose check
# is in this build take part. Extend as checks land.
EFFECTS = {
    "broken_link": ("links.broken", "deduct", ("link.broken.homepage", "link.broken.other")),
    "soft_404": ("links.broken", "deduct", ("link.broken.homepage", "link.broken.other")),
    "redirect_loop": ("links.broken", "deduct", ("link.broken.homepage", "link.broken.other")),
    "hidden_spam_link": ("security.hidden_link", "veto", ("security.hidden_link",)),
    "wrong_leader_title": ("wording.serious", "veto", ("security.serious_wording",)),
    "stale_homepage": ("homepage.update", "veto", ("homepage.stale",)),
    # the family plants five stale (V4(1)) and five empty (V4(3)) columns on wjj; a single stale
    # column elsewhere sits on a site that fails on another veto, so "deduct" is never decisive
    "stale_column": ("columns.update", "deduct",
                     ("column.stale.dynamic", "column.stale.notice_l1", "column.stale.policy_l1", "column.stale.long")),
    "empty_column": ("columns.update", "veto", ("column.empty",)),
    "unanswered_message": ("interaction.reply", "veto", ("interaction.unanswered",)),
    "uninterpreted_policy": ("interpretation.link", "deduct", ("interpretation.missing",)),
    "missing_annual_report": ("annual_report.publish", "deduct", ("annual_report.missing",)),
    "privacy_leak": ("privacy.leak", "veto", ("security.privacy_leak",)),
    "typo": ("wording.typo", "deduct", ("content.typo",)),
    "missing_footer_identifier": ("identity.footer", "deduct", ("identity.footer",)),
    "wrong_site_code": ("identity.footer", "deduct", ("identity.code",)),
}
problems = []
for site in m["sites"]:
    code = site["code"]
    s = json.load(open(os.path.join(d, "score-%s.json" % code)))
    f = json.load(open(os.path.join(d, "findings-%s.json" % code)))
    planted = [x for x in m["defects"] if x["site"] == site["host"]]
    active = [EFFECTS[x["kind"]] for x in planted if x["kind"] in EFFECTS and EFFECTS[x["kind"]][0] in have]
    veto = any(e[1] == "veto" for e in active)
    deduct_keys = {k for e in active if e[1] == "deduct" for k in e[2]}
    # no monitor probes in this test: the availability veto cannot be judged
    want = "fail" if veto else "undetermined"
    if s["result"] != want:
        problems.append("%s: result %s, expected %s (%s)" % (code, s["result"], want, s["reason"]))
    if not s["availability"]["given"] is False:
        problems.append("%s: availability should be missing" % code)
    deducted = [x for x in s["findings"] if x["status"] == "deducted"]
    if not veto:
        if deduct_keys and not deducted:
            problems.append("%s: planted %s but nothing deducted" % (code, sorted(deduct_keys)))
        if not active and s["score"] != 100:
            problems.append("%s: clean site scored %s" % (code, s["score"]))
        if deducted and s["score"] >= 100:
            problems.append("%s: deductions but score %s" % (code, s["score"]))
        for x in deducted:
            if x["rule"] not in deduct_keys:
                problems.append("%s: deduction %s not from a planted defect" % (code, x["rule"]))
        stored = {y["fingerprint"] for y in f["findings"] if y["rule"] in deduct_keys}
        if {x["fingerprint"] for x in deducted} != stored:
            problems.append("%s: deducted %s, stored %s" % (code, sorted(x["fingerprint"] for x in deducted), sorted(stored)))
    # every deduction points at its finding with evidence
    for x in deducted:
        ev = x.get("evidence") or {}
        if not (ev.get("finding_id") and ev.get("url") and x.get("detail") and len(x["fingerprint"]) == 16):
            problems.append("%s: deduction without evidence: %s" % (code, x))
        if not x.get("amount"):
            if not any(l for i in s["deduction"]["indicators"] for it in i["items"] for l in it["lines"]
                       if l["finding"] == x["index"] and l["capped"]):
                problems.append("%s: zero deduction that no cap explains: %s" % (code, x["fingerprint"]))
if problems:
    print("\n".join(problems))
    sys.exit(1)
PY
}
why=$(expect_verdicts) || fail "verdicts differ from the manifest:
$why"
pass

# the clean site: full marks, nothing found
ok "score jyj (text)" score 3399220002 --inspection "$INSP"
expect_out_has "结论：待定　得分：100"
expect_out_has "不足以判定“站点无法访问”"

# every deduction's finding can be shown with its evidence
FID=$(python3 -c '
import json,sys
s=json.load(open(sys.argv[1]))
d=[x for x in s["findings"] if x["status"]=="deducted"]
print(d[0]["evidence"]["finding_id"], d[0]["fingerprint"], d[0]["evidence"]["url"])' "$E2E_TMP/s/score-3399220001.json")
set -- $FID
FID_ID=$1 FID_FP=$2 FID_URL=$3
ok "finding show" --json finding show "$FID_ID"
expect_json 'j["fingerprint"]' "$FID_FP"
expect_json 'j["url"]' "$FID_URL"
expect_json 'j["state"]' "有效"
ok "finding show by fingerprint" finding show "$FID_FP"
expect_out_has "指纹：$FID_FP"

# ---- resume: nothing crawled, checked or stored twice ----
ok "inspect again" --json inspect --all --quarter 2025Q1 --rules "$RULES" --as-of '2025-03-31 12:00'
expect_json 'j["inspection"]' "$INSP"
expect_json 'j["resumed"]' true
expect_json 'j["crawled"]' 0
expect_json 'j["checked"]' 0
expect_json 'j["reused"]' 6
expect_json 'j["accounts"]' 6
ok "inspect --list" --json inspect --list
expect_json 'len(j)' 1
expect_json 'j[0]["undetermined"] + j[0]["pass"] + j[0]["fail"]' 6
expect_json 'j[0]["accounts"]' 6
ok "finding list" --json finding list
N_FINDINGS=$(json_get 'len(j)')
ok "findings after re-run" --json finding list --inspection "$INSP"
expect_json 'len(j)' "$N_FINDINGS"
rc 3 "inspect same quarter, other as-of" inspect --all --quarter 2025Q1 --as-of '2025-03-30'
expect_err_has "has the as-of time 2025-03-31 12:00:00"

# ---- review ----
PORTAL_BEFORE=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["score"])' "$E2E_TMP/s/score-3399220001.json")
rc 2 "dismiss without a reason" finding dismiss "$FID_ID"
rc 2 "dismiss with an empty reason" finding dismiss "$FID_ID" --reason ""
rc 2 "bad finding reference" finding dismiss xyz --reason r
rc 4 "unknown finding" finding dismiss 99999 --reason r
ok "dismiss" finding dismiss "$FID_FP" --reason "该栏目已按要求下线" --by 审核员甲
expect_out_has "已重新评分：青溪县人民政府"
ok "score after dismissal" --json score 3399220001
expect_json 'j["dismissed"][0]["fingerprint"]' "$FID_FP"
expect_json 'j["dismissed"][0]["review"]["who"]' "审核员甲"
expect_json 'j["dismissed"][0]["review"]["reason"]' "该栏目已按要求下线"
expect_json "j['score'] > $PORTAL_BEFORE" true
expect_json "'$FID_FP' in [x['fingerprint'] for x in j['findings']]" false
rc 2 "list with an unknown status" finding list --status added
ok "list dismissed" --json finding list --status dismissed
expect_json '[x["fingerprint"] for x in j]' "[\"$FID_FP\"]"
ok "show dismissed" finding show "$FID_ID"
expect_out_has "状态：已驳回"
expect_out_has "审核员甲 驳回，理由：该栏目已按要求下线"
ok "inspect --list after review" --json inspect --list
ok "confirm again" finding confirm "$FID_FP" --by 审核员乙
ok "score after confirm" --json score 3399220001
expect_json 'len(j["dismissed"])' 0
expect_json "j['score'] == $PORTAL_BEFORE" true

# a manual finding
rc 3 "add with an unknown rule" finding add --site 3399220002 --rule no.such --title x
expect_err_has "'no.such' is not a rule key"
ok "add a manual finding" --json finding add --site 3399220002 --rule content.typo --title "“部暑”应为“部署”" \
  --url http://jyj.qingxi.gov.cn/ --detail "首页工作动态第3条标题" --by 审核员甲
MAN_FP=$(json_get 'j["fingerprint"]')
rc 3 "the same manual finding twice" finding add --site 3399220002 --rule content.typo --title "“部暑”应为“部署”" \
  --url http://jyj.qingxi.gov.cn/ --detail "首页工作动态第3条标题"
ok "score with the manual finding" --json score 3399220002
expect_json 'j["score"]' 99.5
expect_json "[x['check'] for x in j['findings'] if x['fingerprint'] == '$MAN_FP']" '["manual"]'
ok "review log of the manual finding" --json finding show "$MAN_FP"
expect_json 'j["reviews"][0]["action"]' added
expect_json 'j["reviews"][0]["who"]' 审核员甲

# an account: an inspector saw no update in the two weeks before the as-of
# time; M2 fails the account
rc 2 "add with both --site and --account" finding add --site 3399220002 --account 青溪教育 --rule media.not_updated \
  --title x
rc 4 "add for an unknown account" finding add --account 无此账号 --rule media.not_updated --title x
ok "add a manual account finding" --json finding add --account 青溪教育 --rule media.not_updated \
  --title "监测时间点前2周内无更新" --detail "最近一次推送为2025年3月5日" --by 审核员甲
ACC_FP=$(json_get 'j["fingerprint"]')
ok "score the account" --json score 青溪教育 --account
expect_json 'j["result"]' fail
expect_json '[v["id"] for v in j["vetoes"] if v["hit"]]' '["M2"]'
# review applies to account findings: a dismissal lifts the veto, a confirmation restores it
ok "dismiss the account finding" finding dismiss "$ACC_FP" --reason "复核：3月20日有推送" --by 审核员乙
expect_out_has "已重新评分：青溪教育"
ok "score after dismissal" --json score 青溪教育 --account
expect_json 'j["result"]' undetermined
expect_json 'j["dismissed"][0]["fingerprint"]' "$ACC_FP"
ok "confirm the account finding" finding confirm "$ACC_FP" --by 审核员乙
ok "score after confirm" --json score 青溪教育 --account
expect_json 'j["result"]' fail
ok "show the register finding" finding show "$ZRZY_FP"
expect_out_has "账号：青溪自然资源"
ZRZY_ID=$(python3 -c 'import re,sys; print(re.search(r"编号：(a[0-9]+)", open(sys.argv[1]).read()).group(1))' "$OUT")
ok "show an account finding by its listed id" --json finding show "$ZRZY_ID"
expect_json 'j["fingerprint"]' "$ZRZY_FP"
expect_json 'j["account"]' 青溪自然资源
rc 2 "a malformed account finding id" finding show a1x
rc 4 "an unknown account finding id" finding show a99999
expect_err_has "there is no account finding a99999"
ok "finding list with account findings" --json finding list
N_FINDINGS=$(json_get 'len(j)')

# ---- the circular ----
rc 2 "circular without a quarter" report circular
rc 4 "circular of a quarter not inspected" report circular --quarter 2024Q4
ok "circular md" report circular --quarter 2025Q1 --issued 2025-04-10 --doc-number "青政办〔2025〕12号"
cp "$OUT" "$E2E_TMP/circular.md"
expect_out_has "关于2025年第一季度全县政府网站与政务新媒体检查情况的通报"
expect_out_has "青政办〔2025〕12号"
expect_out_has "政府网站共6个，检查6个，检查比例为100%"
expect_out_has "首页链接不可用"
expect_out_has "青溪县人民政府网站（"
expect_out_has "错别字或一般性表述错误"
expect_out_has "| 3399220002 |"
expect_out_has "请于2025年4月24日前"
expect_out_has "政务新媒体共6个，检查6个，检查比例为100%。其中，合格0个，不合格1个，因内容更新、互动回应等否决项未经检查结论待定5个"
expect_out_has "| 1 | 青溪教育 | 青溪县教育局 | 微信订阅号 | 不合格 | 单项否决：内容不更新；监测时间点前2周内无更新 |"
expect_out_has "| 2 | 青溪自然资源 | 青溪县自然资源和规划局 | 微信服务号 | 待定 | 未认证或认证主体与开设主体不符 |"
expect_out_has "“青溪自然资源”微信服务号（1处）"
# per platform: 待定 accounts are stated, never folded into a 0 % pass rate
expect_out_has "微信订阅号3个，合格0个，待定2个，已判定的合格率0%；微博1个，合格0个，待定1个；"
printf '## 落实整改责任\n请{{scope}}各单位于{{deadline}}前报送整改报告至{{report_to}}。\n' >"$E2E_TMP/req.txt"
ok "circular with a requirements template" report circular --quarter 2025Q1 --issued 2025-04-10 \
  --deadline 2025-04-30 --report-to 县政务公开办 --requirements "$E2E_TMP/req.txt"
expect_out_has "（一）落实整改责任"
expect_out_has "请全县各单位于2025年4月30日前报送整改报告至县政务公开办。"
printf '{{nope}}\n' >"$E2E_TMP/bad.txt"
rc 3 "bad template" report circular --quarter 2025Q1 --requirements "$E2E_TMP/bad.txt"
expect_err_has "{{nope}}"
ok "circular html" report circular --quarter 2025Q1 --issued 2025-04-10 --format html -o "$E2E_TMP/c.html"
grep -qF "附件1" "$E2E_TMP/c.html" || fail "html lacks 附件1"
grep -qF "附件2" "$E2E_TMP/c.html" || fail "html lacks 附件2"
grep -qF "青溪自然资源" "$E2E_TMP/c.html" || fail "html lacks the 附件2 row of 青溪自然资源"
pass
ok "circular docx" report circular --quarter 2025Q1 --issued 2025-04-10 -o "$E2E_TMP/c.docx"
expect_out_has "网站 6 个"
office=$(command -v soffice || command -v libreoffice || true)
if [ -n "$office" ] && command -v pdftotext >/dev/null; then
  (cd "$E2E_TMP" && HOME="$E2E_TMP" timeout 120 "$office" -env:UserInstallation="file://$E2E_TMP/lo-profile" \
    --headless --convert-to pdf --outdir "$E2E_TMP" "$E2E_TMP/c.docx" >/dev/null 2>&1) ||
    fail "LibreOffice could not convert the circular"
  pdftotext -layout "$E2E_TMP/c.pdf" "$E2E_TMP/c.txt" || fail "pdftotext failed"
  # -layout may break lines inside table cells: compare without spaces
  tr -d ' \n' <"$E2E_TMP/c.txt" >"$E2E_TMP/c.flat"
  for want in "一、总体情况" "二、存在的主要问题" "下一步工作要求" "附件1" "检查6个" "首页链接不可用" \
    "3399220001" "青溪县人民政府办公室" "2025年4月10日" "附件2" "青溪自然资源" "青溪县自然资源和规划局" \
    "未认证或认证主体与开设主体不符"; do
    grep -qF "$want" "$E2E_TMP/c.flat" || fail "the PDF of the circular lacks '$want'"
    pass
  done
else
  echo "# SKIP LibreOffice check: soffice or pdftotext is not installed"
fi

# ---- self report ----
ok "self report" report self --unit 青溪县教育局 --quarter 2025Q1 --issued 2025-04-10 -o "$E2E_TMP/self.md"
grep -qF "青溪县教育局2025年第一季度政府网站自查自评报告" "$E2E_TMP/self.md" || fail "self report title"
grep -qF "“部暑”应为“部署”" "$E2E_TMP/self.md" || fail "self report lacks the manual finding"
grep -qF "| 青溪教育 | 微信订阅号 | 不合格 |" "$E2E_TMP/self.md" || fail "self report lacks the unit's account"
grep -qF "和1个政务新媒体账号" "$E2E_TMP/self.md" || fail "self report does not count the unit's account"
pass
rc 4 "self report of an unknown unit" report self --unit 不存在的单位 --quarter 2025Q1

# ---- exports ----
rc 2 "export of an unknown kind" export things -o "$E2E_TMP/x.xlsx"
rc 2 "export without -o" export scores
ok "export scores" export scores --inspection "$INSP" -o "$E2E_TMP/scores.xlsx"
expect_out_has "6 行"
ok "export problems" export problems --inspection "$INSP" -o "$E2E_TMP/problems.xlsx"
python3 - "$E2E_TMP/scores.xlsx" "$E2E_TMP/problems.xlsx" "$N_FINDINGS" <<'PY' || fail "XLSX exports do not read back"
import re, sys, zipfile
def rows(path):
    z = zipfile.ZipFile(path)
    ss = [re.sub(r"<[^>]+>", "", x) for x in re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode(), re.S)]
    sheet = z.read("xl/worksheets/sheet1.xml").decode()
    if "<f>" in sheet:
        raise SystemExit("%s: a formula cell" % path)
    out = []
    for r in re.findall(r"<row[^>]*>(.*?)</row>", sheet, re.S):
        cells = {}
        for attrs, body in re.findall(r"<c ([^>]*?)(?:/>|>(.*?)</c>)", r, re.S):
            ref = re.search(r'r="([A-Z]+)', attrs).group(1)
            col = 0
            for ch in ref:
                col = col * 26 + ord(ch) - 64
            t = re.search(r't="(\w+)"', attrs)
            v = re.search(r"<v>(.*?)</v>", body or "", re.S)
            cells[col - 1] = (ss[int(v.group(1))] if t and t.group(1) == "s" else v.group(1)) if v else ""
        out.append([cells.get(i, "") for i in range(max(cells) + 1 if cells else 0)])
    return out
s = rows(sys.argv[1])
assert s[0][:4] == ["序号", "网站名称", "网址", "网站标识码"], s[0]
assert len(s) == 7, len(s)
names = {r[1] for r in s[1:]}
assert "青溪县教育局" in names and "青溪县人民政府" in names, names
jyj = [r for r in s[1:] if r[3] == "3399220002"][0]
assert jyj[6] == "99.5" and jyj[7] == "待定", jyj
p = rows(sys.argv[2])
assert p[0][0] == "序号" and "指纹" in p[0], p[0]
assert len(p) - 1 == int(sys.argv[3]), (len(p), sys.argv[3])
kind = p[0].index("对象类型")
acc = [r for r in p[1:] if r[kind] == "政务新媒体"]
assert sorted(r[3] for r in acc) == ["media.not_updated", "media.uncertified"], acc
assert any(r[1] == "“青溪自然资源”微信服务号" for r in acc), acc
PY
pass
ok "export problems csv" export problems -o "$E2E_TMP/problems.csv"
head -c 3 "$E2E_TMP/problems.csv" | od -An -tx1 | grep -q "ef bb bf" || fail "CSV without a BOM"
pass

# ---- with a week of availability probes, the 站点无法访问 veto is judged ----
# `govwatch serve --once` at the as-of time runs every probe slot of the week
# before it (monitor.catchup = 7 days) against the served family, over IPv4
# and IPv6; a new inspection of the quarter then has the availability fact:
# the sites that failed nothing else pass, the vetoed ones still fail.
{
  echo "monitor:"
  echo "  catchup: 604800"
  echo "  crawl: false"
} >>"$CFG"
GW_NOW='2025-03-31 12:00' "$GW_BIN" --db "$E2E_DB" --config "$CFG" serve --once 2>"$E2E_TMP/serve-once.err" ||
  fail "serve --once: $(cat "$E2E_TMP/serve-once.err")"
pass
ok "availability after the probes" --json availability 3399220002 --from '2025-03-24 12:00' --to '2025-03-31 12:00'
expect_json 'j["sites"][0]["families"][0]["slots"] >= 140 and j["sites"][0]["veto"] is False' true
ok "inspect with availability" --json inspect --all --quarter 2025Q1 --as-of '2025-03-31 12:00' --rules "$RULES" --new
INSP2=$(json_get 'j["inspection"]')
[ "$INSP2" != "$INSP" ] || fail "--new made no new inspection"
pass
ok "score jyj with probes" --json score 3399220002 --inspection "$INSP2"
expect_json 'j["result"]' pass
expect_json 'j["availability"]["given"]' true
ok "score portal with probes" --json score 3399220001 --inspection "$INSP2"
expect_json 'j["result"]' pass
ok "score wjj with probes" --json score 3399220003 --inspection "$INSP2"
expect_json 'j["result"]' fail

finish
