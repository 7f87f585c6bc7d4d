# Helpers for the end-to-end tests of the govwatch command line.
#
# Source from a test script run by bash with `set -u`:
#     . "$(dirname "$0")/lib.sh"
# The test then runs commands with `gw`, checks them with the expect_*
# functions, and ends with `finish`. The first unexpected result stops the
# test with a clear message (the command, its exit status, stdout and
# stderr). Nothing here talks to the network.
#
# Environment: GW_BIN (the govwatch executable, required), GW_TEST_KEEP=1
# keeps the temporary directory for inspection.
#
# Variables set here:
#   E2E_TMP   a fresh temporary directory, removed at exit
#   E2E_DB    the database `gw` uses (change it to switch databases)
#   RC        exit status of the last `gw`
#   OUT, ERR  files holding the last `gw`'s stdout and stderr
#   spid, port  the sample server started by e2e_serve (its pid and port)

if [ -z "${GW_BIN:-}" ]; then
  echo "GW_BIN is not set (the path of the govwatch executable)" >&2
  exit 2
fi
if [ ! -x "$GW_BIN" ]; then
  echo "GW_BIN=$GW_BIN is not an executable" >&2
  exit 2
fi

E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/gw-e2e.XXXXXX")
E2E_DB="$E2E_TMP/govwatch.db"
OUT="$E2E_TMP/out"
ERR="$E2E_TMP/err"
RC=0
E2E_PASSED=0
E2E_LAST=""

spid=
port=

# Stop the sample server e2e_serve started, if it runs.
e2e_stop_server() {
  if [ -n "$spid" ] && kill -0 "$spid" 2>/dev/null; then
    kill -TERM "$spid" 2>/dev/null
    wait "$spid" 2>/dev/null
  fi
  spid=
}

e2e_cleanup() {
  e2e_stop_server
  if [ -n "${GW_TEST_KEEP:-}" ]; then
    echo "kept $E2E_TMP" >&2
  else
    rm -rf "$E2E_TMP"
  fi
}
trap e2e_cleanup EXIT

# Run govwatch with --db "$E2E_DB" and the given arguments; never fails.
gw() {
  E2E_LAST="govwatch --db $E2E_DB $(printf '%q ' "$@")"
  "$GW_BIN" --db "$E2E_DB" "$@" >"$OUT" 2>"$ERR"
  RC=$?
}

# Stop the test: print what was expected, the last command and its output.
fail() {
  {
    echo "FAIL: $*"
    if [ -n "$E2E_LAST" ]; then
      echo "  last command: $E2E_LAST"
      echo "  exit status:  $RC"
      echo "  --- stdout ---"
      head -c 4000 "$OUT" 2>/dev/null
      echo "  --- stderr ---"
      head -c 4000 "$ERR" 2>/dev/null
    fi
    echo "$E2E_PASSED passed, 1 failed"
  } >&2
  exit 1
}

pass() {
  E2E_PASSED=$((E2E_PASSED + 1))
}

# expect_rc STATUS DESCRIPTION ARGS... : run `gw ARGS` and require STATUS.
expect_rc() {
  local want=$1 desc=$2
  shift 2
  gw "$@"
  [ "$RC" -eq "$want" ] || fail "$desc: expected exit status $want, got $RC"
  pass
}

# expect_ok DESCRIPTION ARGS... : run `gw ARGS` and require success.
expect_ok() {
  local desc=$1
  shift
  expect_rc 0 "$desc" "$@"
}

# Require the last stdout / stderr to contain (or not) a fixed string.
expect_out_has() {
  grep -qF -- "$1" "$OUT" || fail "stdout should contain: $1"
  pass
}
expect_out_lacks() {
  if grep -qF -- "$1" "$OUT"; then fail "stdout should not contain: $1"; fi
  pass
}
expect_err_has() {
  grep -qF -- "$1" "$ERR" || fail "stderr should contain: $1"
  pass
}
# The last stdout is exactly this text (plus its final newline).
expect_out_is() {
  local got
  got=$(cat "$OUT")
  [ "$got" = "$1" ] || fail "stdout should be exactly: $1"
  pass
}

# expect_eq GOT WANT DESCRIPTION
expect_eq() {
  [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
  pass
}

# Evaluate a Python expression over the JSON in the last stdout (bound to
# `j`) and print the result; JSON values print as JSON (strings without
# quotes at the top level).
json_get() {
  python3 - "$OUT" "$1" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    j = json.load(f)
v = eval(sys.argv[2], {"j": j})
print(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
PY
}

# expect_json EXPR WANT : json_get EXPR must print WANT.
expect_json() {
  local got
  got=$(json_get "$1" 2>&1) || fail "stdout is not JSON or '$1' failed: $got"
  [ "$got" = "$2" ] || fail "JSON $1: got '$got', expected '$2'"
  pass
}

# xlsx_from_tsv OUT.xlsx < rows.tsv : write a minimal XLSX (one sheet,
# shared strings, numbers as numeric cells) from tab-separated UTF-8 lines,
# made by Python's zipfile so the reader under test meets a file it did not
# write itself. A cell of only digits (at most 15) becomes a number.
# (the script is kept in a variable: python3's stdin is the TSV)
read -r -d '' E2E_PY_XLSX <<'PY' || true
import re, sys, zipfile
from xml.sax.saxutils import escape
rows = [l.rstrip("\n").split("\t") for l in sys.stdin.read().splitlines()]
strings, index = [], {}
def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s
body = []
for r, row in enumerate(rows, 1):
    cells = []
    for c, v in enumerate(row):
        ref = f"{col(c)}{r}"
        if v == "":
            continue
        if re.fullmatch(r"[0-9]{1,15}", v):
            cells.append(f'<c r="{ref}"><v>{v}</v></c>')
        else:
            if v not in index:
                index[v] = len(strings)
                strings.append(v)
            cells.append(f'<c r="{ref}" t="s"><v>{index[v]}</v></c>')
    body.append(f'<row r="{r}">{"".join(cells)}</row>')
ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml",
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '</Types>')
    z.writestr("_rels/.rels",
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml",
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}" xmlns:r="{rel}">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels",
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml",
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}"><sheetData>{"".join(body)}</sheetData></worksheet>')
    z.writestr("xl/sharedStrings.xml",
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{ns}" count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
PY
xlsx_from_tsv() {
  python3 -c "$E2E_PY_XLSX" "$1"
}

# xlsx_cells FILE.xlsx : print the first worksheet's cells as tab-separated
# lines (shared and inline strings, numbers as written), to compare the
# content of two XLSX files whose zip bytes differ (timestamps).
xlsx_cells() {
  python3 - "$1" <<'PY'
import re, sys, zipfile
import xml.etree.ElementTree as ET
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
z = zipfile.ZipFile(sys.argv[1])
shared = []
if "xl/sharedStrings.xml" in z.namelist():
    for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
        shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
def colnum(ref):
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1
for row in sheet.iter("{%s}row" % ns["m"]):
    out = {}
    for c in row.findall("m:c", ns):
        t = c.get("t")
        if t == "s":
            v = shared[int(c.find("m:v", ns).text)]
        elif t == "inlineStr":
            v = "".join(x.text or "" for x in c.iter("{%s}t" % ns["m"]))
        else:
            e = c.find("m:v", ns)
            v = e.text if e is not None else ""
        out[colnum(c.get("r"))] = v
    n = max(out) + 1 if out else 0
    print("\t".join(out.get(i, "") for i in range(n)))
PY
}

# Print the summary line and end the test successfully.
finish() {
  echo "$E2E_PASSED passed, 0 failed"
  exit 0
}

# e2e_serve [ARGS...]: (re)start `govwatch sample serve --port 0 ARGS...` on
# loopback (the server started before is stopped first) and wait until it
# listens; sets $spid and $port. Its output goes to $E2E_TMP/serve.out/.err.
e2e_serve() {
  e2e_stop_server
  rm -f "$E2E_TMP/ready"
  "$GW_BIN" sample serve --port 0 --ready-file "$E2E_TMP/ready" "$@" \
    >"$E2E_TMP/serve.out" 2>"$E2E_TMP/serve.err" &
  spid=$!
  for _ in $(seq 1 300); do
    [ -s "$E2E_TMP/ready" ] && break
    kill -0 "$spid" 2>/dev/null || break
    sleep 0.1
  done
  [ -s "$E2E_TMP/ready" ] || fail "sample serve $* did not start: $(cat "$E2E_TMP/serve.err")"
  port=$(cat "$E2E_TMP/ready")
}

# e2e_hosts MANIFEST: the host names the sample family serves (manifest "hosts").
e2e_hosts() {
  python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["hosts"]))' "$1"
}

# e2e_config FILE HOSTS [v6]: write a configuration for tests that maps each
# of HOSTS (space-separated) to the e2e_serve server on 127.0.0.1 (and also on
# [::1] when the third argument is v6: dual-stack, for the IPv6 check), with
# mapped_only (no real DNS), 8 connections per host, no politeness interval,
# 50 ms retry back-off and no host pause. Append more keys with >> FILE: a
# "  key: value" line continues the network section, "crawl:" starts another.
e2e_config() {
  local h
  {
    echo "network:"
    echo "  mapped_only: true"
    echo "  per_host: 8"
    echo "  interval_ms: 0"
    echo "  concurrency: 32"
    echo "  retry_base_ms: 50"
    echo "  host_pause_ms: 0"
    echo "  connect_to:"
    for h in $2; do
      echo "    - $h:80:127.0.0.1:$port"
      if [ "${3:-}" = v6 ]; then echo "    - $h:80:[::1]:$port"; fi
    done
  } >"$1"
}
