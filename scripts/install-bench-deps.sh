#!/usr/bin/env bash
# Install what the crawl benchmark (bench/crawl/) compares GovWatch with:
#   nginx        serves the generated sample family on loopback (Debian package)
#   wget2        GNU Wget2, `wget2 --spider -r` (Debian package)
#   linkchecker  LinkChecker (Debian package)
#   nodejs, npm  to run linkinator (Debian packages, only when node/npm are absent)
#   linkinator   from the npm registry into bench/out/node (npm install --prefix),
#                pinned to the newest release that runs on the machine's Node.js 20
#                (8.x needs Node 22), never committed (bench/out is git-ignored)
# Idempotent: says what it installs and installs nothing when all is present.
# Usage: scripts/install-bench-deps.sh [NODE_PREFIX]   (default bench/out/node)
set -euo pipefail

LINKINATOR_VERSION=${LINKINATOR_VERSION:-7.6.1}
NODE_PREFIX=${1:-bench/out/node}

PACKAGES=(nginx-light wget2 linkchecker)
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# nginx-light or the full nginx both provide /usr/sbin/nginx.
if [ -x /usr/sbin/nginx ]; then
  kept=()
  for p in "${missing[@]}"; do [ "$p" = nginx-light ] || kept+=("$p"); done
  missing=("${kept[@]+"${kept[@]}"}")
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-bench-deps: installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      SUDO="sudo"
    else
      echo "install-bench-deps: not root and no sudo; please install: ${missing[*]}" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # The nginx package may start the system service where policy-rc.d allows
  # it; the benchmark never uses that one (it runs its own nginx with its own
  # prefix, config and pid file on a free loopback port).
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

bin="$NODE_PREFIX/node_modules/.bin/linkinator"
have=""
if [ -x "$bin" ]; then
  have=$(node -p "require('$(realpath "$NODE_PREFIX")/node_modules/linkinator/package.json').version" 2>/dev/null || true)
fi
if [ "$have" != "$LINKINATOR_VERSION" ]; then
  echo "install-bench-deps: installing linkinator@$LINKINATOR_VERSION with npm into $NODE_PREFIX"
  mkdir -p "$NODE_PREFIX"
  npm install --prefix "$NODE_PREFIX" --no-audit --no-fund --loglevel=error \
    "linkinator@$LINKINATOR_VERSION" >/dev/null
fi
