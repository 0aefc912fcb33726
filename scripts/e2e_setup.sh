#!/usr/bin/env bash
# What the browser tests (tests/e2e/) need besides the Python packages of requirements-dev.txt:
# Debian's Chromium and axe-core from the npm registry. Installs only what is missing, so it is
# cheap to run every time (CI runs it before the suite). apt-get needs root, or sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium="${PORTAL_E2E_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$chromium" != /usr/bin/chromium ]; then
    echo "PORTAL_E2E_CHROMIUM=$chromium is not an executable." >&2
    exit 1
  fi
  echo "Chromium is missing: apt-get install -y chromium"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "axe-core is missing: npm ci"
  npm ci --no-audit --no-fund
fi

# Debian's chromium wrapper prints shell noise on stderr; the version line is on stdout.
echo "Browser tests ready: $("$chromium" --version 2>/dev/null)," \
  "axe-core $(node -p 'require("./node_modules/axe-core/package.json").version')"
