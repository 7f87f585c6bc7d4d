#!/usr/bin/env bash
# make bench: run the benchmark sections and print their Markdown tables;
# paste them into bench/README.md with the machine and the date.
#   register  the sample-site generator and the register's import/export (bench/register.sh)
#   crawl     GovWatch's crawl with link checking next to Wget2, LinkChecker and
#             linkinator on a 20,000-page family served by nginx (bench/crawl/run.sh)
#   monitor   availability probing capacity of one `govwatch serve` process
#             against loopback targets with simulated latency (bench/monitor/run.sh)
# Usage: bench/run.sh [BUILD] [SECTION...]   (default: every section)
# Work files go to $BENCH_OUT (default bench/out, ignored by git).
set -euo pipefail
BUILD=${1:-build}
[ $# -gt 0 ] && shift
HERE=$(cd "$(dirname "$0")" && pwd)
sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(register crawl monitor)
for s in "${sections[@]}"; do
  case $s in
    register) bash "$HERE/register.sh" "$BUILD" ;;
    crawl) bash "$HERE/crawl/run.sh" "$BUILD" ;;
    monitor) bash "$HERE/monitor/run.sh" "$BUILD" ;;
    *) echo "bench: unknown section '$s' (sections: register, crawl, monitor)" >&2; exit 2 ;;
  esac
done
