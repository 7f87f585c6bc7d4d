#!/usr/bin/env bash
# Interaction, interpretation and annual-report checks end to end: the
# sample family served on loopback, registered, crawled once, then
# `govwatch check --all --as-of T` at several as-of times. The findings of
# interaction.channel, interaction.reply, interpretation.link and
# annual_report.publish must be exactly what the manifest implies:
#  - at the family's as-of: its unanswered_message, uninterpreted_policy and
#    missing_annual_report defects and nothing else (the portal's two-day-old
#    letter is not late; every mailbox publishes its statistics);
#  - just before and just after the unanswered letter turns 3 months old:
#    the veto absent, then present;
#  - after January 31 of the next year: every site misses that year's
#    网站工作年度报表, every department its 政府信息公开工作年度报告, the
#    governments (deadline March 31) nothing more;
#  - checks.reply_working_days 1 makes replies late, and a bad value is an
#    error naming the key.
set -u
. "$(dirname "$0")/lib.sh"
export GW_DICT_DIR="$GW_SRC/dict"

expect_ok "sample generate" sample generate --out "$E2E_TMP/gen"
MANIFEST="$E2E_TMP/gen/manifest.json"
hosts=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["hosts"]))' "$MANIFEST")
codes=$(python3 -c 'import json,sys; print(" ".join(s["code"] for s in json.load(open(sys.argv[1]))["sites"]))' "$MANIFEST")
ONLY=annual_report.publish,interaction.channel,interaction.reply,interpretation.link

e2e_serve
CFG="$E2E_TMP/govwatch.yaml"
e2e_config "$CFG" "$hosts"
{
  echo "crawl:"
  echo "  calendar_depth: 6"
} >>"$CFG"

expect_ok "unit import" --config "$CFG" unit import "$E2E_TMP/gen/units.csv"
expect_ok "site import" --config "$CFG" site import "$E2E_TMP/gen/sites.csv"
expect_ok "crawl --all" --config "$CFG" crawl --all
e2e_stop_server

AS_OF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["as_of"])' "$MANIFEST")

# collect LABEL AS_OF [CFG]: run the four checks at AS_OF and write every
# site's findings of them to $E2E_TMP/LABEL-CODE.json.
collect() {
  local label=$1 asof=$2 cfg=${3:-$CFG}
  expect_ok "check --all --as-of $asof ($label)" --config "$cfg" --json check --all --no-probe --as-of "$asof" --only "$ONLY"
  expect_json 'sum(r["failed"] for r in j["runs"])' 0
  for code in $codes; do
    expect_ok "findings $code ($label)" --config "$cfg" --json findings "$code"
    expect_json 'j["run"]["as_of"][:16].replace("T", " ")' "$(python3 -c 'import sys; print(sys.argv[1][:16].replace("T", " "))' "$asof")"
    cp "$OUT" "$E2E_TMP/$label-$code.json"
  done
}

# compare LABEL PYTHON-EXPECTATION: the expectation is a Python expression
# over m (the manifest) and as_of (a datetime) giving a set of
# (site code, rule, url-or-None) triples; every finding of the four checks
# must be in it, with the url when one is given, and every triple found.
compare() {
  python3 - "$MANIFEST" "$E2E_TMP" "$1" "$2" "$3" <<'PY'
import json, sys, os, datetime
manifest, d, label, asof, expr = sys.argv[1:6]
m = json.load(open(manifest))
as_of = datetime.datetime.fromisoformat(asof.replace(" ", "T") + ("" if "+" in asof else "+08:00"))
checks = {"annual_report.publish", "interaction.channel", "interaction.reply", "interpretation.link"}
want = eval(expr)
got = set()
problems = []
for s in m["sites"]:
    j = json.load(open(os.path.join(d, "%s-%s.json" % (label, s["code"]))))
    for f in j["findings"]:
        if f["check"] not in checks:
            continue
        got.add((s["code"], f["rule"], f["url"]))
        if not f["title"] or not f["detail"] or len(f["fingerprint"]) != 16:
            problems.append("%s: incomplete finding %s" % (s["code"], f))
def match(w, g):
    return w[0] == g[0] and w[1] == g[1] and (w[2] is None or w[2] == g[2])
for g in sorted(got):
    if not any(match(w, g) for w in want):
        problems.append("unexpected finding: %s %s %s" % g)
for w in sorted(want, key=str):
    if not any(match(w, g) for g in got):
        problems.append("missing finding: %s %s %s" % w)
if problems:
    print("\n".join(problems))
    sys.exit(1)
PY
}

# ---- the family's as-of: exactly the planted defects ----
collect base "$AS_OF"
want_base='{({s["host"]: s["code"] for s in m["sites"]}[x["site"]],
  {"unanswered_message": "interaction.unanswered", "uninterpreted_policy": "interpretation.missing",
   "missing_annual_report": "annual_report.missing"}[x["kind"]], x["url"])
  for x in m["defects"] if x["kind"] in ("unanswered_message", "uninterpreted_policy", "missing_annual_report")}'
why=$(compare base "$AS_OF" "$want_base") || fail "at $AS_OF: $why"
pass
n=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(sum(1 for x in m["defects"] if x["kind"] in ("unanswered_message","uninterpreted_policy","missing_annual_report")))' "$MANIFEST")
expect_eq "$n" 3 "planted defects of these checks in the default family"

# the evidence of the veto: the letter, its dates, the channel's figures
wjj=$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print([s["code"] for s in m["sites"] if s["host"].startswith("wjj.")][0])' "$MANIFEST")
expect_ok "findings (wjj)" --config "$CFG" --json findings "$wjj" --check interaction.reply
read -r received days title <<<"$(python3 -c '
import json,sys
x=[x for x in json.load(open(sys.argv[1]))["defects"] if x["kind"]=="unanswered_message"][0]
print(x["received"], x["days_unanswered"], x["title"])' "$MANIFEST" | sed 's/ /T/')"
expect_json '[f["observed"]["received"][:16] for f in j["findings"] if f["rule"] == "interaction.unanswered"]' "[\"${received/T/ }\"]"
expect_json '[f["observed"]["days_unanswered"] for f in j["findings"] if f["rule"] == "interaction.unanswered"]' "[$days]"
expect_json '[f["severity"] for f in j["findings"] if f["rule"] == "interaction.unanswered"]' '["veto"]'
expect_json '[f["observed"]["worst_working_days"] <= f["observed"]["reply_working_days"] for f in j["findings"]]' "[true]"
expect_json '[f["observed"]["stats_published"] for f in j["findings"]]' "[true]"
expect_out_has "$title"

# ---- the letter's three-month edge ----
edges=$(python3 - "$MANIFEST" <<'PY'
import json, sys, datetime
m = json.load(open(sys.argv[1]))
x = [x for x in m["defects"] if x["kind"] == "unanswered_message"][0]
r = datetime.datetime.strptime(x["received"], "%Y-%m-%d %H:%M")
y, mo = (r.year, r.month + 3) if r.month <= 9 else (r.year + 1, r.month - 9)
edge = r.replace(year=y, month=mo)  # three calendar months later (day exists: received <= 28th in the default)
print((edge - datetime.timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M"), (edge + datetime.timedelta(minutes=30)).strftime("%Y-%m-%d %H:%M"))
PY
)
before="$(echo "$edges" | cut -d' ' -f1,2)"; after="$(echo "$edges" | cut -d' ' -f3,4)"
collect early "$before"
why=$(python3 - "$E2E_TMP" "$codes" <<'PY'
import json, sys, os
bad = []
for c in sys.argv[2].split():
    for f in json.load(open(os.path.join(sys.argv[1], "early-%s.json" % c)))["findings"]:
        if f["rule"] == "interaction.unanswered":
            bad.append("%s %s" % (c, f["url"]))
print("\n".join(bad)); sys.exit(1 if bad else 0)
PY
) || fail "30 minutes before the letter is 3 months old, a veto: $why"
pass
collect late "$after"
got=$(python3 -c '
import json,sys,os
print(sorted(f["url"] for c in sys.argv[2].split() for f in json.load(open(os.path.join(sys.argv[1], "late-%s.json" % c)))["findings"] if f["rule"] == "interaction.unanswered"))' "$E2E_TMP" "$codes")
want=$(python3 -c 'import json,sys; print(sorted(x["url"] for x in json.load(open(sys.argv[1]))["defects"] if x["kind"] == "unanswered_message"))' "$MANIFEST")
expect_eq "$got" "$want" "30 minutes after the letter is 3 months old, the veto"

# ---- after January 31 of the next year ----
next=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["as_of"][:4]) + 1)' "$MANIFEST")
collect nextyear "$next-02-15 12:00"
# only the annual reports are asserted exactly here (the mailboxes have not
# been answered for ten months by then: other findings are expected)
why=$(python3 - "$MANIFEST" "$E2E_TMP" "$next" <<'PY'
import json, sys, os
m = json.load(open(sys.argv[1])); d = sys.argv[2]; year = int(sys.argv[3]) - 1
problems = []
for s in m["sites"]:
    fs = [f for f in json.load(open(os.path.join(d, "nextyear-%s.json" % s["code"])))["findings"]
          if f["rule"] == "annual_report.missing"]
    got = sorted((f["observed"]["report"], f["observed"]["year"]) for f in fs)
    want = [("site_report", year)]
    if s["unit_kind"] == "department":
        want.append(("gov_info_report", year))
    else:
        # governments: March 31, so the report due is the one before, missing only where planted
        for x in m["defects"]:
            if x["kind"] == "missing_annual_report" and x["site"] == s["host"] and x["year"] == year - 1:
                want.append(("gov_info_report", year - 1))
    if got != sorted(want):
        problems.append("%s: %s, expected %s" % (s["host"], got, sorted(want)))
    for f in fs:
        if f["observed"]["report"] == "gov_info_report" and f["observed"]["deadline"] != ("%d-01-31" % (year + 1) if s["unit_kind"] == "department" else "%d-03-31" % (year + 1)):
            problems.append("%s: deadline %s" % (s["host"], f["observed"]["deadline"]))
print("\n".join(problems)); sys.exit(1 if problems else 0)
PY
) || fail "after January 31 of $next: $why"
pass

# ---- the reply window is configurable ----
cp "$CFG" "$E2E_TMP/strict.yaml"
printf 'checks:\n  reply_working_days: 1\n' >>"$E2E_TMP/strict.yaml"
collect strict "$next-01-10 12:00" "$E2E_TMP/strict.yaml" # its own as-of: its own run
slow=$(python3 -c '
import json,sys,os
n = 0
for c in sys.argv[2].split():
    for f in json.load(open(os.path.join(sys.argv[1], "strict-%s.json" % c)))["findings"]:
        if f["rule"] == "interaction.replies_stale" and f["observed"]["reply_working_days"] == 1 and f["observed"].get("slow", 0) > 0:
            n += 1
print("yes" if n > 0 else "no")' "$E2E_TMP" "$codes")
expect_eq "$slow" yes "with checks.reply_working_days 1 some replies are late"
printf 'checks:\n  reply_working_days: 0\n' >"$E2E_TMP/bad.yaml"
expect_rc 3 "bad checks.reply_working_days" --config "$E2E_TMP/bad.yaml" check --all
expect_err_has "checks.reply_working_days"

# ---- publication statistics of the portal (pubstats) ----
# expected: the written pages of the portal whose PubDate lies in the
# as-of's quarter, every one from 青溪县人民政府办公室 (the county's office)
portal=$(python3 -c 'import json,sys; print([s["code"] for s in json.load(open(sys.argv[1]))["sites"] if s["kind"] == "portal"][0])' "$MANIFEST")
read -r quarter n_q <<<"$(python3 - "$MANIFEST" "$E2E_TMP/gen" <<'PY'
import json, sys, os, re
m = json.load(open(sys.argv[1]))
year, month = int(m["as_of"][:4]), int(m["as_of"][5:7])
q = (month - 1) // 3 + 1
host = [s["host"] for s in m["sites"] if s["kind"] == "portal"][0]
n = 0
for root, _, files in os.walk(os.path.join(sys.argv[2], host)):
    for f in files:
        t = open(os.path.join(root, f), encoding="utf-8", errors="replace").read() if f.endswith(".html") else ""
        d = re.search(r'<meta name="PubDate" content="(\d{4})-(\d{2})', t)
        if d and int(d.group(1)) == year and (int(d.group(2)) - 1) // 3 + 1 == q:
            n += 1
print("%dQ%d %d" % (year, q, n))
PY
)"
expect_ok "pubstats $quarter" --config "$CFG" --json pubstats "$portal" --quarter "$quarter"
expect_json 'j["articles"]' "$n_q"
expect_json 'j["attributed"]' "$n_q"
expect_json '[(u["unit"], u["articles"]) for u in j["units"] if u["articles"]]' "[[\"青溪县\", $n_q]]"
expect_json 'sorted(u["unit"] for u in j["units"] if u["below_floor"])' \
  "$(python3 -c 'import json,sys; print(json.dumps(sorted(s["unit"] for s in json.load(open(sys.argv[1]))["sites"] if s["kind"] != "portal"), ensure_ascii=False))' "$MANIFEST")"
expect_ok "pubstats (text)" --config "$CFG" pubstats "$portal" --quarter "$quarter" --target 1000
expect_out_has "低于最低线"
expect_rc 2 "pubstats without --quarter" --config "$CFG" pubstats "$portal"
expect_err_has "--quarter"
expect_rc 2 "pubstats bad --floor" --config "$CFG" pubstats "$portal" --quarter "$quarter" --floor x
expect_err_has "--floor 'x'"

finish
