#!/usr/bin/env bash
# Source checks run by ctest (test check_src) and usable by hand:
#   scripts/check-src.sh [SOURCE_DIR]
# 1. No C file under src/ or tests/ calls a banned libc function: sprintf,
#    vsprintf, strcpy, strcat, strtok, strtok_r, atoi, atol, gets. They either
#    cannot bound their output or cannot report errors; use snprintf,
#    gw_strlcpy, gw_buf, strtol/gw_parse_i64 instead. Matches are whole
#    identifiers followed by "(", so snprintf, vsnprintf, gw_strlcpy, strtoll
#    or a variable called `gets_count` do not count. Comments and string
#    literals are blanked first (keeping line numbers), so prose may name them.
# 2. Every header under src/ has an include guard: #ifndef X / #define X as
#    its first preprocessor lines, or #pragma once.
# Prints file:line: reason for each problem and exits 1 if there are any.
set -euo pipefail

root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"

status=0

# Blank /* */ and // comments, string and character literals, keeping the
# newlines so line numbers stay right. Reads one file, writes it to stdout.
strip_c() {
  perl -0777 -pe '
    s{
      (/\*.*?\*/)                  # block comment
      | (//[^\n]*)                 # line comment
      | ("(?:\\.|[^"\\\n])*")      # string literal
      | (\x27(?:\\.|[^\x27\\\n])*\x27)  # character literal
    }{
      my $m = $&; (my $k = $m) =~ s/[^\n]//g; $k
    }gsex' "$1"
}

banned='sprintf|vsprintf|strcpy|strcat|strtok|strtok_r|atoi|atol|gets'

mapfile -d '' files < <(find src tests -type f \( -name '*.c' -o -name '*.h' \) -print0 2>/dev/null | sort -z)
for f in "${files[@]}"; do
  # The look-behind keeps snprintf, gw_strlcpy, fgets, my_atoi and s.atoi_x
  # out; the "(" after optional blanks (newlines too) keeps `gets_count` out.
  hits=$(strip_c "$f" | perl -0777 -ne '
    while (/(?<![A-Za-z0-9_])('"$banned"')\s*\(/g) {
      my $n = (substr($_, 0, $-[1]) =~ tr/\n//) + 1; print "$n:$1\n";
    }')
  while IFS=: read -r n fn; do
    [ -n "$n" ] || continue
    echo "$f:$n: banned function $fn()"
    status=1
  done <<< "$hits"
done

mapfile -d '' headers < <(find src -type f -name '*.h' -print0 2>/dev/null | sort -z)
for h in "${headers[@]}"; do
  # The first two preprocessor directives, comments ignored.
  first=$(strip_c "$h" | grep -nE '^[[:space:]]*#' | head -2 || true)
  if printf '%s\n' "$first" | head -1 | grep -qE '#[[:space:]]*pragma[[:space:]]+once'; then
    continue
  fi
  l1=$(printf '%s\n' "$first" | sed -n 1p)
  l2=$(printf '%s\n' "$first" | sed -n 2p)
  g1=$(printf '%s\n' "$l1" | sed -nE 's/^[0-9]+:[[:space:]]*#[[:space:]]*ifndef[[:space:]]+([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*$/\1/p')
  g2=$(printf '%s\n' "$l2" | sed -nE 's/^[0-9]+:[[:space:]]*#[[:space:]]*define[[:space:]]+([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*$/\1/p')
  if [ -z "$g1" ] || [ "$g1" != "$g2" ]; then
    echo "$h:${l1%%:*}: no include guard (#ifndef NAME / #define NAME before anything else, or #pragma once)" |
      sed -E 's/:: no/:1: no/'
    status=1
  fi
done

if [ "$status" -eq 0 ]; then
  echo "check-src: ${#files[@]} C files, ${#headers[@]} headers: OK"
fi
exit "$status"
