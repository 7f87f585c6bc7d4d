#!/usr/bin/env bash
# The monitoring service end to end, on the sample family served on
# loopback over IPv4 and IPv6 (every host mapped with network.connect_to,
# network.mapped_only): `govwatch serve` with a pinned, accelerated clock
# (GW_NOW + --speed) probes every site, crawls and checks it daily, serves
# /metrics (scraped here over loopback); SIGKILL mid-day and a restart lose
# and double no probe slot and no job; `govwatch availability` gives what
# the probes recorded; one site made unreachable gives exactly one alert per
# event (down, pre-warning, veto, recovered; per IP family) at a local
# webhook receiver; SIGTERM stops the service with exit status 0 and
# nothing left running. Plus configuration and usage errors.
set -u
. "$(dirname "$0")/lib.sh"

spid= gpid= rpid=
stop_all() {
  for p in $gpid $spid $rpid; do
    if kill -0 "$p" 2>/dev/null; then
      kill -TERM "$p" 2>/dev/null
      wait "$p" 2>/dev/null
    fi
  done
  gpid= spid= rpid=
}
trap 'stop_all; e2e_cleanup' EXIT

# sql QUERY: one value (or rows, tab-separated) from the test's store.
sql() {
  python3 - "$E2E_DB" "$1" <<'PY'
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchall()
print("\n".join("\t".join("" if v is None else str(v) for v in r) for r in rows))
PY
}

# wait_file FILE PID WHAT: wait (up to 30 s) until FILE is non-empty.
wait_file() {
  for _ in $(seq 1 300); do
    [ -s "$1" ] && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  fail "$3 did not start"
}

expect_ok "sample generate" sample generate --out "$E2E_TMP/gen"
hosts=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["hosts"]))' "$E2E_TMP/gen/manifest.json")

"$GW_BIN" sample serve --port 0 --ipv6 --ready-file "$E2E_TMP/sready" >/dev/null 2>"$E2E_TMP/sample.err" &
spid=$!
wait_file "$E2E_TMP/sready" "$spid" "sample serve"
port=$(cat "$E2E_TMP/sready")

# The webhook receiver: every POST body as one line of hooks.jsonl, answer 200.
cat >"$E2E_TMP/hook.py" <<'PY'
import http.server, sys
out, ready = sys.argv[1], sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(out, "ab") as f:
            f.write(body.replace(b"\n", b" ") + b"\n")
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(ready, "w").write(str(s.server_port))
s.serve_forever()
PY
python3 "$E2E_TMP/hook.py" "$E2E_TMP/hooks.jsonl" "$E2E_TMP/hready" &
rpid=$!
wait_file "$E2E_TMP/hready" "$rpid" "webhook receiver"
hport=$(cat "$E2E_TMP/hready")

# config FILE CATCHUP [DEAD_HOST]: a configuration; DEAD_HOST is mapped to
# a closed port so it refuses connections.
config() {
  {
    echo "network:"
    echo "  mapped_only: true"
    echo "  interval_ms: 0"
    echo "  per_host: 8"
    echo "  retry_base_ms: 50"
    echo "  host_pause_ms: 0"
    echo "  connect_to:"
    for h in $hosts; do
      if [ "$h" = "${3:-}" ]; then
        echo "    - $h:80:127.0.0.1:1"
        echo "    - $h:80:[::1]:1"
      else
        echo "    - $h:80:127.0.0.1:$port"
        echo "    - $h:80:[::1]:$port"
      fi
    done
    echo "monitor:"
    echo "  probes_per_day: 24"
    echo "  catchup: $2"
    echo "  crawl_at: \"02:00\""
    echo "  alert_mute: 3600"
    echo "  alerts:"
    echo "    - {type: json, url: \"http://127.0.0.1:$hport/hook\"}"
  } >"$1"
}
config "$E2E_TMP/live.yaml" 0
config "$E2E_TMP/catchup.yaml" 86400
config "$E2E_TMP/dead.yaml" 86400 czj.qingxi.gov.cn

expect_ok "unit import" unit import "$E2E_TMP/gen/units.csv"
expect_ok "site import" site import "$E2E_TMP/gen/sites.csv"
nsites=$(sql "SELECT count(*) FROM sites WHERE status = 1")
expect_eq "$nsites" 6 "running sample sites"

D0="2025-03-03 00:00"  # a Monday; D1 is the next day
D1="2025-03-04 00:00"

# ---- a live service, its metrics, SIGKILL mid-day ------------------------
GW_NOW="$D0" "$GW_BIN" --db "$E2E_DB" --config "$E2E_TMP/live.yaml" serve --speed 1800 \
  --listen 127.0.0.1:0 --ready-file "$E2E_TMP/mready" 2>"$E2E_TMP/serve1.err" &
gpid=$!
wait_file "$E2E_TMP/mready" "$gpid" "govwatch serve"
mport=$(cat "$E2E_TMP/mready")
# Service time runs half an hour a second: wait until past 02:00 (the daily
# crawl) and its checks (every check of the registry, slow under the
# sanitizers) are done, then scrape. 60 s at most stays within day D0 (the
# next day's crawl would be due after 26 service hours, 52 s).
for _ in $(seq 1 500); do
  n=$(sql "SELECT count(*) FROM jobs WHERE kind = 2 AND state = 3")
  [ "$n" = 6 ] && break
  sleep 0.1
done
expect_eq "$n" 6 "check jobs done (after the daily crawls) while serving"
curl -sf "http://127.0.0.1:$mport/metrics" >"$E2E_TMP/metrics" || fail "scraping /metrics failed"
pass
grep -q '^# TYPE govwatch_probe_slots_total counter$' "$E2E_TMP/metrics" || fail "metrics: no probe counter"
pass
probes_seen=$(awk '/^govwatch_probe_slots_total\{.*result="ok"\}/ {s += $2} END {print s + 0}' "$E2E_TMP/metrics")
[ "$probes_seen" -gt 0 ] || fail "metrics: no OK probe counted: $(cat "$E2E_TMP/metrics")"
pass
grep -q '^govwatch_jobs_run_total{kind="crawl",result="done"} 6$' "$E2E_TMP/metrics" ||
  fail "metrics: 6 crawl jobs done expected: $(grep jobs_run "$E2E_TMP/metrics")"
pass
grep -q '^govwatch_crawl_pages_total [1-9]' "$E2E_TMP/metrics" || fail "metrics: no crawl pages"
pass
grep -q '^govwatch_sites_monitored 6$' "$E2E_TMP/metrics" || fail "metrics: 6 sites monitored"
pass
curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$mport/other" >"$E2E_TMP/code"
expect_eq "$(cat "$E2E_TMP/code")" 404 "a path other than /metrics"
sleep 1
kill -KILL "$gpid"
wait "$gpid" 2>/dev/null
gpid=
done_before=$(sql "SELECT count(*) FROM avail_slots WHERE state = 2")
[ "$done_before" -gt 0 ] || fail "no slot done before the kill"
pass

# ---- restart at the end of the day: catch up, nothing lost or doubled ----
GW_NOW="$D1" "$GW_BIN" --db "$E2E_DB" --config "$E2E_TMP/catchup.yaml" serve --once 2>"$E2E_TMP/serve2.err" ||
  fail "serve --once after the kill: $(cat "$E2E_TMP/serve2.err")"
pass
range="slot_at >= strftime('%s', '2025-03-02 16:00:00') AND slot_at < strftime('%s', '2025-03-03 16:00:00')"
expect_eq "$(sql "SELECT count(*) FROM avail_slots WHERE $range")" 288 "slots of the day (6 sites x 2 families x 24)"
expect_eq "$(sql "SELECT count(*) FROM avail_slots WHERE $range AND state = 2")" 288 "slots done"
expect_eq "$(sql "SELECT count(*) FROM avail_slots WHERE state = 1")" 0 "slots left running"
expect_eq "$(sql "SELECT count(*) FROM (SELECT site_id, family, slot_at FROM avail_slots GROUP BY 1, 2, 3 HAVING count(*) > 1)")" 0 "doubled slots"
# Every slot made one site request, or two when a failure was confirmed;
# only a slot interrupted by the kill may have more (it was run again).
expect_eq "$(sql "SELECT count(*) FROM avail_slots s WHERE runs = 1 AND attempts <> (SELECT count(*) FROM avail_probes p WHERE p.slot_id = s.id AND p.role = 1)")" 0 "site requests per slot"
[ "$(sql "SELECT count(*) FROM avail_slots WHERE runs > 1")" -le 1 ] || fail "more than one slot re-run after one kill"
pass
expect_eq "$(sql "SELECT kind, state, count(*) FROM jobs GROUP BY 1, 2" | tr '\t\n' ' ')" "1 3 6 2 3 6 " "jobs: 6 crawls and 6 checks done, once each"
expect_eq "$(sql "SELECT count(*) FROM crawls")" 6 "one crawl per site"

# ---- availability equals what the probes recorded -----------------------
expect_ok "availability --json" availability --all --from "$D0" --to "$D1" --json
python3 - "$OUT" "$E2E_DB" <<'PY' || fail "availability figures differ from the stored slots"
import json, sqlite3, sys
j = json.load(open(sys.argv[1]))
db = sqlite3.connect(sys.argv[2])
lo, hi = 1740931200, 1741017600  # 2025-03-03 00:00 and 03-04 00:00 +08:00
assert len(j["sites"]) == 6, len(j["sites"])
for s in j["sites"]:
    for f in s["families"]:
        row = db.execute("SELECT count(*), sum(verdict = 1), sum(verdict = 2), sum(verdict = 3) FROM avail_slots "
                         "WHERE site_id = ? AND family = ? AND slot_at >= ? AND slot_at < ?",
                         (s["site"]["id"], f["family"], lo, hi)).fetchone()
        got = (f["slots"], f["ok"], f["fail"], f["unknown"])
        assert got == row, (s["site"]["name"], f["family"], got, row)
        assert f["slots"] == 24 and f["probes"] == f["ok"] + f["fail"], f
        assert f["complete"] is True, f
PY
pass
expect_ok "availability table" availability 3399220001 --from "$D0" --to "$D1"
expect_out_has "青溪县人民政府"
expect_out_has "IPv6"
expect_out_has "充足"

# ---- one site down, then back: one alert per event ------------------------
: >"$E2E_TMP/hooks.jsonl"
GW_NOW="2025-03-04 06:00" "$GW_BIN" --db "$E2E_DB" --config "$E2E_TMP/dead.yaml" serve --once 2>"$E2E_TMP/serve3.err" ||
  fail "serve --once with a dead site: $(cat "$E2E_TMP/serve3.err")"
pass
GW_NOW="2025-03-04 09:00" "$GW_BIN" --db "$E2E_DB" --config "$E2E_TMP/catchup.yaml" serve --once 2>"$E2E_TMP/serve4.err" ||
  fail "serve --once after recovery: $(cat "$E2E_TMP/serve4.err")"
pass
python3 - "$E2E_TMP/hooks.jsonl" <<'PY' || fail "webhook alerts: $(cat "$E2E_TMP/hooks.jsonl")"
import json, sys, collections
hooks = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
c = collections.Counter((h["event"], h["family"], h["site_name"]) for h in hooks if h["event"] != "finding")
want = collections.Counter()
for fam in (4, 6):
    for ev in ("down", "warn", "veto", "recovered"):
        want[(ev, fam, "青溪县财政局")] = 1
assert c == want, (c, want)
down = [h for h in hooks if h["event"] == "down"][0]
assert down["reason"] == "refused" and "青溪县财政局" in down["text"] and "已复测确认" in down["text"], down
PY
pass
expect_eq "$(sql "SELECT count(*) FROM alerts WHERE muted = 0 AND sent = 1")" 8 "alert rows sent"
expect_ok "availability of the site that was down" availability http://czj.qingxi.gov.cn/ --from "2025-03-04 00:00" --to "2025-03-04 09:00" --json
expect_json "j['sites'][0]['families'][0]['fail']" 6
expect_json "len(j['sites'][0]['families'][0]['outages'])" 1
expect_json "j['sites'][0]['families'][0]['outages'][0]['reason']" refused
expect_json "j['sites'][0]['families'][0]['level']" none  # 9 probes: levels apply from 20 on
# The rolling 7 days before 09:00: 33 probes, 6 failed = 18.18 %: at the
# veto level, but the week is not complete, so no veto decision yet.
GW_NOW="2025-03-04 09:00" gw availability http://czj.qingxi.gov.cn/ --family 4 --json
[ "$RC" -eq 0 ] || fail "rolling availability"
expect_json "[j['sites'][0]['families'][0][k] for k in ('probes', 'fail', 'fail_bp', 'level', 'complete', 'veto')]" '[33, 6, 1818, "veto", false, false]'
GW_NOW="2025-03-04 09:00" gw availability http://czj.qingxi.gov.cn/
expect_out_has "达到否决线"
expect_out_has "待定"
expect_out_has "中断：2025-03-04"

# ---- SIGTERM: a clean stop, exit status 0 ----------------------------------
rm -f "$E2E_TMP/mready"
GW_NOW="2025-03-05 00:00" "$GW_BIN" --db "$E2E_DB" --config "$E2E_TMP/live.yaml" serve --speed 600 \
  --listen 127.0.0.1:0 --ready-file "$E2E_TMP/mready" 2>"$E2E_TMP/serve5.err" &
gpid=$!
wait_file "$E2E_TMP/mready" "$gpid" "govwatch serve (SIGTERM)"
sleep 1
kill -TERM "$gpid"
wait "$gpid"
rc=$?
gpid=
expect_eq "$rc" 0 "exit status after SIGTERM ($(tail -2 "$E2E_TMP/serve5.err"))"
grep -q "serve: stopped on a signal" "$E2E_TMP/serve5.err" || fail "no stop line: $(cat "$E2E_TMP/serve5.err")"
pass
expect_eq "$(sql "SELECT count(*) FROM avail_slots WHERE state = 1") $(sql "SELECT count(*) FROM jobs WHERE state = 2")" "0 0" "nothing left running after SIGTERM"

# ---- errors ----------------------------------------------------------------
printf 'monitor:\n  probes_per_day: 0\n' >"$E2E_TMP/bad.yaml"
expect_rc 3 "bad monitor config" --config "$E2E_TMP/bad.yaml" serve --once
expect_err_has "bad.yaml:2:19: monitor.probes_per_day '0' must be a whole number from 1 to 1440"
expect_rc 2 "--once with --until" serve --once --until "2025-03-05"
expect_err_has "--once and --until exclude each other"
expect_rc 2 "bad --listen" serve --once --listen example.org:80
expect_err_has "serve: --listen 'example.org:80'"
expect_rc 2 "availability --from alone" availability --all --from 2025-03-01
expect_err_has "--from and --to go together"
expect_rc 2 "availability bad family" availability --all --family 5
expect_err_has "--family '5' must be 4 or 6"
gw availability nosuch.example.gov.cn
[ "$RC" -ne 0 ] || fail "availability of an unknown site should fail"
pass
expect_err_has "availability: 'nosuch.example.gov.cn'"

finish
