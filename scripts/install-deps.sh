#!/usr/bin/env bash
# Install the Debian packages GovWatch builds and runs with, when they are
# missing. Idempotent: installs nothing when everything is present.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  libcurl4-openssl-dev   # fetch: HTTP(S), URL parsing API
  libxml2-dev            # HTML parsing; XLSX sheet XML
  libsqlite3-dev         # embedded store
  libyaml-dev            # config file and rule sets
  libjansson-dev         # JSON output, manifests, API
  libmicrohttpd-dev      # fixture HTTP server, later the web UI
  libxlsxwriter-dev      # XLSX export
  libzip-dev             # XLSX import (and DOCX later)
  libuchardet-dev        # charset detection
  libpcre2-dev           # pattern checks
  libcsv-dev             # RFC 4180 CSV import
  zlib1g-dev             # gzip in the fixture server; page bodies stored before migration 10
  libzstd-dev            # stored page bodies (Zstandard, one context per thread)
  libmimalloc-dev        # the allocator of the programs (not of the sanitizer builds)
  libgnutls28-dev        # test certificates made at test time (tests/fixtures/tlscert.c); the fixture server's HTTPS
  python3 curl           # end-to-end tests and the demo script (JSON, HTTP)
  python3-jieba          # wording check: jieba's dict.txt (349k words with frequencies), the word-frequency dictionary of src/text/wording
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing missing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-deps: not root and no sudo; please install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet; refresh them once before installing.
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
