#!/usr/bin/env bash
# bench/run.sh section `crawl` (issue 3): crawl a generated 20,000-page sample
# family served by nginx on loopback with link checking, GovWatch next to GNU
# Wget2 (`wget2 --spider -r`), LinkChecker and linkinator, in the same run on
# the same site; then GovWatch alone on a 100,000-page family for its peak RSS.
# Each tool is measured by gw_runstat (wall, CPU, peak RSS) and scored against
# the family's ground truth (crawlbench.py oracle/score). Prints the Markdown
# table for bench/README.md and keeps it in $BENCH_OUT/crawl/table.md.
#
# Usage: bench/crawl/run.sh [BUILD]
# Environment:
#   BENCH_OUT         work directory (default bench/out; the family, nginx, logs)
#   CRAWL_PAGES       pages of the compared family (default 20000)
#   CRAWL_BIG_PAGES   pages of GovWatch's RSS run (default 100000; 0 = skip)
#   CRAWL_TOOLS       tools to run (default "wget2 linkchecker linkinator govwatch")
#   CRAWL_REPEAT      runs of each fast tool (wget2, govwatch), median reported (default 3)
#   GW_PARSE_THREADS  GovWatch's crawl.parse_threads (default 0: its own choice)
#   CRAWL_PROFILE=1   after GovWatch's measured runs, one more under `perf record`
#                     (not measured); the top of `perf report` goes to
#                     $BENCH_OUT/crawl/govwatch-profile.txt
#   CRAWL_STRACE=1    check mode: run every tool under strace and fail if any
#                     of them connects anywhere but 127.0.0.1 (timings then
#                     mean nothing; use with a small CRAWL_PAGES such as 300)
#
# Nothing leaves loopback: nginx listens on 127.0.0.1 only; the other tools
# reach it as their HTTP proxy (a host outside the family answers 502, as a
# proxy that cannot resolve the name does), GovWatch through its
# network.connect_to mapping with network.mapped_only.
set -euo pipefail

BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
GW=$(realpath "$BUILD/govwatch")
RUNSTAT=$(realpath "$BUILD/gw_runstat")
BENCH_OUT=$(realpath -m "${BENCH_OUT:-$SRC/bench/out}")
OUT=$BENCH_OUT/crawl
NODE_PREFIX=$BENCH_OUT/node
PAGES=${CRAWL_PAGES:-20000}
BIG_PAGES=${CRAWL_BIG_PAGES:-100000}
TOOLS=${CRAWL_TOOLS:-"wget2 linkchecker linkinator govwatch"}
REPEAT=${CRAWL_REPEAT:-3}
STRACE=${CRAWL_STRACE:-0}
PROFILE=${CRAWL_PROFILE:-0}
PY="python3 -B $HERE/crawlbench.py"

# No proxy settings of the caller's environment may leak into a tool.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY no_proxy NO_PROXY all_proxy ALL_PROXY

log() { echo "crawl-bench: $*" >&2; }
die() { log "$*"; exit 1; }

bash "$SRC/scripts/install-bench-deps.sh" "$NODE_PREFIX" >&2
for t in nginx wget2 linkchecker node curl; do
  command -v "$t" >/dev/null || die "'$t' is not installed (scripts/install-bench-deps.sh)"
done
[ "$STRACE" = 1 ] && { command -v strace >/dev/null || die "CRAWL_STRACE=1 needs strace (apt-get install strace)"; }
[ "$PROFILE" = 1 ] && { command -v perf >/dev/null || die "CRAWL_PROFILE=1 needs perf (apt-get install linux-perf)"; }
LINKINATOR_CLI=$NODE_PREFIX/node_modules/linkinator/build/src/cli.js
[ -f "$LINKINATOR_CLI" ] || die "$LINKINATOR_CLI: missing (scripts/install-bench-deps.sh)"

rm -rf "$OUT"
mkdir -p "$OUT"

NGINX_PID_FILE=""
SAMPLE_PID_FILE=""
cleanup() {
  local f pid
  for f in "$NGINX_PID_FILE" "$SAMPLE_PID_FILE"; do
    [ -n "$f" ] && [ -s "$f" ] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_file() { # file, what
  for _ in $(seq 100); do [ -s "$1" ] && return 0; sleep 0.1; done
  die "$2 did not start (no $1)"
}

# gen_site DIR PAGES: the family as static files, plus the 党政机关标识 records of
# bszs.conac.cn, which write_dir leaves out (their page depends on the query):
# fetched once from `govwatch sample serve` with the same options.
gen_site() {
  local dir=$1 pages=$2 port ids id
  "$GW" sample generate --out "$dir" --pages "$pages" >/dev/null
  SAMPLE_PID_FILE=$OUT/sample-serve.pid
  "$GW" sample serve --port 0 --pages "$pages" --ready-file "$OUT/sample-serve.port" \
    --pid-file "$SAMPLE_PID_FILE" >/dev/null &
  wait_for_file "$OUT/sample-serve.port" "govwatch sample serve"
  port=$(cat "$OUT/sample-serve.port")
  mkdir -p "$dir/bszs.conac.cn/records"
  ids=$(cat "$dir"/*/index.html | grep -o 'bszs\.conac\.cn/sitename?method=show&amp;id=[0-9A-Fa-f]*' \
        | sed 's/.*id=//' | sort -u)
  for id in $ids; do
    curl -sf --max-time 10 --connect-to "bszs.conac.cn:80:127.0.0.1:$port" \
      -o "$dir/bszs.conac.cn/records/$id.html" "http://bszs.conac.cn/sitename?method=show&id=$id" \
      || die "cannot fetch the bszs.conac.cn record $id from the fixture server"
  done
  # Each host's "not found" page as the fixture server answers a missing
  # URL (404 with the site's own 页面不存在 page, like real government
  # sites; nginx's default page otherwise): nginx serves it as that host's
  # 404 page (crawlbench.py nginx-conf), so the family's soft 404, a page
  # answering 200 with the same text, can be told from a real 404 as on
  # the fixture server.
  local h code
  for h in $(python3 -c 'import json, sys; print(" ".join(json.load(open(sys.argv[1]))["hosts"]))' "$dir/manifest.json"); do
    mkdir -p "$dir/_404/$h"
    code=$(curl -s --max-time 10 --connect-to "$h:80:127.0.0.1:$port" -o "$dir/_404/$h/__bench_404.html" \
           -w '%{http_code}' "http://$h/govwatch-bench-missing-page.html") || code=000
    if [ "$code" != 404 ] || [ ! -s "$dir/_404/$h/__bench_404.html" ]; then
      rm -rf "${dir:?}/_404/$h"
    fi
  done
  kill "$(cat "$SAMPLE_PID_FILE")"
  wait 2>/dev/null || true
  SAMPLE_PID_FILE=""
}

# start_nginx SITE_DIR NAME: nginx with its own prefix under $OUT/NAME.
start_nginx() {
  local site=$1 ng=$OUT/$2
  mkdir -p "$ng/tmp"
  PORT=$(free_port)
  PROXY=http://127.0.0.1:$PORT
  $PY nginx-conf "$site" "$PORT" "$ng" "$HERE/nginx.conf.in" > "$ng/nginx.conf"
  NGINX_PID_FILE=$ng/nginx.pid
  nginx -p "$ng" -c "$ng/nginx.conf" -e "$ng/error.log"
  wait_for_file "$NGINX_PID_FILE" nginx
  for _ in $(seq 50); do curl -s -o /dev/null -x "$PROXY" http://www.qingxi.gov.cn/robots.txt && break; sleep 0.1; done
  NGINX_DIR=$ng
}

stop_nginx() {
  local pid
  pid=$(cat "$NGINX_PID_FILE")
  kill -QUIT "$pid"
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && die "nginx (pid $pid) did not stop"
  NGINX_PID_FILE=""
}

# Hand nginx's access log of the last run to FILE (SIGUSR1 reopens the log
# and flushes its buffer into the renamed file).
take_access_log() {
  mv "$NGINX_DIR/access.log" "$1" 2>/dev/null || : > "$1"
  kill -USR1 "$(cat "$NGINX_PID_FILE")"
  sleep 1.2
}

# strace_check TRACE: fail when a traced process talked to anything but loopback.
strace_check() {
  local bad
  bad=$(grep -E 'connect\(|sendto\(|sendmsg\(|sendmmsg\(' "$1" \
        | grep -E 'sin_addr|sin6_addr|inet_pton' \
        | grep -v -E 'inet_addr\("127\.|inet_pton\(AF_INET6, "::1"' || true)
  if [ -n "$bad" ]; then
    echo "$bad" | head -5 >&2
    die "$1: a tool sent traffic to a non-loopback address"
  fi
  log "$(basename "$1"): only loopback traffic ($(grep -c -E 'inet_addr\("127\.' "$1" || true) loopback connects/sends)"
}

# measure TOOL DIR STDOUT_FILE CMD...: one measured run; prints the runstat line.
measure() {
  local tool=$1 dir=$2 stdout=$3 line
  shift 3
  mkdir -p "$dir"
  take_access_log "$dir/before.log"
  local pre=()
  [ "$STRACE" = 1 ] && pre=(strace -f -qq -e trace=connect,sendto,sendmsg,sendmmsg -o "$dir/strace.txt")
  [ -n "${PERF_DATA:-}" ] && pre=(perf record -q -F 250 --call-graph dwarf,16384 -o "$PERF_DATA" --)
  local load0 load1
  load0=$(cut -d' ' -f1 /proc/loadavg)
  line=$("$RUNSTAT" "$tool" -- "${pre[@]}" sh -c 'o=$1; shift; exec "$@" > "$o"' sh "$stdout" "$@" \
         2>"$dir/stderr.txt" | tail -n 1) || true
  load1=$(cut -d' ' -f1 /proc/loadavg)
  take_access_log "$dir/access.log"
  [ -n "$line" ] || { tail -5 "$dir/stderr.txt" >&2; die "$tool: gw_runstat printed nothing"; }
  [ "$STRACE" = 1 ] && strace_check "$dir/strace.txt"
  # The 1-minute load average before and after: this machine may be shared.
  printf '%s\t%s\t%s\n' "$line" "$load0" "$load1"
}

START_URLS=()
start_urls() {
  mapfile -t START_URLS < <(python3 -c 'import json, sys
for s in json.load(open(sys.argv[1]))["sites"]: print(s["url"])' "$1/manifest.json")
}

run_wget2() { # dir
  mkdir -p "$1/home"
  measure wget2 "$1" "$1/stdout.txt" env HOME="$1/home" \
    wget2 --spider -r -l inf -H -D qingxi.gov.cn --http-proxy="$PROXY" --no-hsts \
    -o "$1/wget2.log" --stats-site="csv:$1/wget2-site.csv" "${START_URLS[@]}"
}
score_wget2() { echo "$1/wget2-site.csv"; }

run_linkchecker() {
  mkdir -p "$1/home"
  measure linkchecker "$1" "$1/linkchecker.csv" env HOME="$1/home" http_proxy="$PROXY" \
    linkchecker -f "$HERE/linkcheckerrc" -o csv "${START_URLS[@]}"
}
score_linkchecker() { echo "$1/linkchecker.csv"; }

run_linkinator() {
  measure linkinator "$1" "$1/linkinator.json" env GW_BENCH_PROXY="$PROXY" \
    GW_BENCH_NODE_MODULES="$NODE_PREFIX/node_modules" NODE_OPTIONS="--import=$HERE/linkinator-proxy.mjs" \
    node "$LINKINATOR_CLI" "${START_URLS[@]}" --recurse --format json
}
score_linkinator() { echo "$1/linkinator.json"; }

govwatch_available() { "$GW" crawl --help >/dev/null 2>&1; }
govwatch_links_available() { "$GW" links --help >/dev/null 2>&1; }

# GovWatch: its own store and configuration per run (a fresh crawl, no
# conditional requests from an earlier one). The politeness defaults suit
# real government servers (2 transfers per host, 250 ms apart); on our own
# loopback server they are lifted, as the other tools run unthrottled.
run_govwatch() {
  local d=$1 cfg=$1/govwatch.yaml h
  mkdir -p "$d"
  {
    echo "db: $d/govwatch.db"
    echo "network:"
    echo "  connect_to:"
    for h in $(python3 -c 'import json, sys; print(" ".join(json.load(open(sys.argv[1]))["hosts"]))' "$CUR_SITE/manifest.json"); do
      echo "    - \"$h:80:127.0.0.1:$PORT\""
    done
    echo "  mapped_only: true"
    echo "  concurrency: ${GW_CONCURRENCY:-64}"
    echo "  per_host: ${GW_PER_HOST:-32}"
    echo "  interval_ms: 0"
    echo "crawl:"
    echo "  max_pages: 1000000"
    echo "  parse_threads: ${GW_PARSE_THREADS:-0}"
  } > "$cfg"
  "$GW" --config "$cfg" unit import "$CUR_SITE/units.csv" >/dev/null
  "$GW" --config "$cfg" site import "$CUR_SITE/sites.csv" >/dev/null
  if govwatch_links_available; then
    # The whole job, measured as one: crawl, the links.broken check (its
    # findings go to the store; the soft-404 canaries are asked here), and
    # the report of broken links as JSON (`govwatch links --all --broken`:
    # an array of per-site objects whose "links" hold each broken target's
    # "target" URL, src/checks/links.c gw_links_target_json), which the
    # scoring reads. Each step's wall time goes to steps.txt.
    measure govwatch "$d" "$d/crawl.txt" sh -c '
      gw=$1 cfg=$2 d=$3
      t0=$(date +%s.%N)
      "$gw" --config "$cfg" crawl --all || exit $?
      t1=$(date +%s.%N)
      "$gw" --config "$cfg" check --all --only links.broken > "$d/check.txt" || exit $?
      t2=$(date +%s.%N)
      "$gw" --config "$cfg" --json links --all --broken > "$d/links.json" || exit $?
      t3=$(date +%s.%N)
      echo "$t0 $t1 $t2 $t3" > "$d/steps.txt"' sh "$GW" "$cfg" "$d"
  else
    measure govwatch "$d" "$d/crawl.txt" "$GW" --config "$cfg" crawl --all
  fi
}
score_govwatch() { echo "$1/govwatch.db"; }

ROWS=$OUT/rows.jsonl
: > "$ROWS"
NOTES=$OUT/notes.md
: > "$NOTES"

# bench_tool TOOL LABEL SITE_DIR ORACLE RUNS
bench_tool() {
  local tool=$1 label=$2 site=$3 oracle=$4 runs=$5 i line lines=() dir best
  for i in $(seq "$runs"); do
    dir=$OUT/$label/run$i
    log "$label: run $i of $runs"
    line=$("run_$tool" "$dir")
    lines+=("$i	$line")
  done
  # The median run by wall time (the only one for runs=1).
  best=$(printf '%s\n' "${lines[@]}" | sort -t $'\t' -k3,3n | sed -n "$(( (runs + 1) / 2 ))p")
  i=${best%%$'\t'*}
  dir=$OUT/$label/run$i
  IFS=$'\t' read -r _ _ wall user sys rss code load0 load1 <<<"$best"
  local walls
  walls=$(printf '%s\n' "${lines[@]}" | cut -f3 | sort -n | paste -sd ' ')
  local links=""
  [ -f "$dir/links.json" ] && links="$dir/links.json"
  if [ -f "$dir/steps.txt" ]; then
    local t0 t1 t2 t3
    read -r t0 t1 t2 t3 < "$dir/steps.txt"
    awk -v l="$label" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN {
      printf "- %s (median run): crawl %.2f s, check links.broken %.2f s, links --broken --json %.2f s.\n", l, b - a, c - b, d - c }' >> "$NOTES"
  fi
  $PY score "$tool" "$("score_$tool" "$dir")" "$oracle" "$site/manifest.json" \
    label="$label" wall="$wall" user="$user" sys="$sys" rss="$rss" exit="$code" \
    access="$dir/access.log" walls="$walls" links="$links" load="$load0 → $load1" >> "$ROWS"
}

# ---------------------------------------------------------------- the compared run
SITE=$OUT/site-$PAGES
log "generating the $PAGES-page family in $SITE"
gen_site "$SITE" "$PAGES"
log "computing the ground truth as nginx serves it"
$PY oracle "$SITE" > "$OUT/oracle-$PAGES.json"
start_urls "$SITE"
CUR_SITE=$SITE
start_nginx "$SITE" "nginx-$PAGES"
log "nginx (pid $(cat "$NGINX_PID_FILE")) serves the family on 127.0.0.1:$PORT"

for tool in $TOOLS; do
  case $tool in
    wget2|govwatch) runs=$REPEAT ;;
    *) runs=1 ;;
  esac
  [ "$STRACE" = 1 ] && runs=1
  if [ "$tool" = govwatch ]; then
    if ! govwatch_available; then
      echo "- GovWatch: this build has no \`govwatch crawl\`; no GovWatch row." >> "$NOTES"
      log "govwatch crawl is not in this build; skipped"
      continue
    fi
  fi
  bench_tool "$tool" "$tool" "$SITE" "$OUT/oracle-$PAGES.json" "$runs"
  if [ "$tool" = govwatch ] && [ "$PROFILE" = 1 ]; then
    log "govwatch: one more run under perf record"
    PERF_DATA=$OUT/govwatch-profile/perf.data run_govwatch "$OUT/govwatch-profile" >/dev/null
    {
      echo "# share of CPU samples by library"
      perf report -i "$OUT/govwatch-profile/perf.data" --stdio --no-children --sort dso -g none 2>/dev/null \
        | grep -v -e '^#' -e '^$' | head -12 || true
      echo "# top functions (self)"
      perf report -i "$OUT/govwatch-profile/perf.data" --stdio --no-children --sort dso,symbol -g none \
        --percent-limit 0.7 2>/dev/null | grep -v -e '^#' -e '^$' | head -40 || true
      echo "# functions including what they call (children; user space)"
      perf report -i "$OUT/govwatch-profile/perf.data" --stdio --children --sort symbol -g none \
        --percent-limit 4 2>/dev/null | grep -v -e '^#' -e '^$' -e '\[k\]' | head -45 || true
    } > "$OUT/govwatch-profile.txt"
  fi
done
stop_nginx

# ---------------------------------------------------------------- GovWatch's RSS at 100,000 pages
if [ "$BIG_PAGES" != 0 ] && [[ " $TOOLS " == *" govwatch "* ]] && govwatch_available; then
  BIG=$OUT/site-$BIG_PAGES
  log "generating the $BIG_PAGES-page family in $BIG"
  gen_site "$BIG" "$BIG_PAGES"
  $PY oracle "$BIG" > "$OUT/oracle-$BIG_PAGES.json"
  start_urls "$BIG"
  CUR_SITE=$BIG
  start_nginx "$BIG" "nginx-$BIG_PAGES"
  bench_tool govwatch "govwatch-$BIG_PAGES" "$BIG" "$OUT/oracle-$BIG_PAGES.json" 1
  stop_nginx
  rm -rf "$BIG"
fi

# ---------------------------------------------------------------- the table
{
  echo "Command: \`make bench\` (crawl section: \`bench/run.sh $BUILD crawl\`)."
  echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -srm)."
  echo "Date: $(date -u +%Y-%m-%d). Family: $PAGES pages (seed 1), nginx $(nginx -v 2>&1 | sed 's|.*/||'), $(wget2 --version | head -1 | sed 's/ - .*//'), LinkChecker $(linkchecker --version 2>/dev/null | head -1 | awk '{print $2}'), linkinator $(node -p "require('$NODE_PREFIX/node_modules/linkinator/package.json').version"), Node.js $(node --version)."
  echo
  $PY table "$ROWS"
  echo
  $PY notes "$ROWS"
  cat "$NOTES"
} | tee "$OUT/table.md"
