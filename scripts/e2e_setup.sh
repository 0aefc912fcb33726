#!/usr/bin/env bash
# What the browser tests (tests/e2e/) and the page checks need besides the Python packages of
# requirements-dev.txt: Debian's Chromium and Java, and from the npm registry axe-core, Lighthouse
# and the Nu Html Checker (vnu.jar, run by Java). Installs only what is missing, so it is cheap
# to run every time (CI runs it before the suite). apt-get needs root, or sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then $sudo apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

chromium="${PORTAL_E2E_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  if [ "$chromium" != /usr/bin/chromium ]; then
    echo "PORTAL_E2E_CHROMIUM=$chromium is not an executable." >&2
    exit 1
  fi
  echo "Chromium is missing: apt-get install -y chromium"
  apt_install chromium
fi

# Java runs the Nu Html Checker (tests/test_html_validity.py). Before npm ci: vnu-jar's own
# install step then finds it and downloads no Java of its own.
if ! command -v java >/dev/null; then
  echo "Java is missing: apt-get install -y default-jre-headless"
  apt_install default-jre-headless
fi

if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -x node_modules/.bin/lighthouse ] \
  || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
  echo "axe-core, Lighthouse or vnu.jar is missing: npm ci"
  npm ci --no-audit --no-fund
fi

# Debian's chromium wrapper prints shell noise on stderr; the version line is on stdout.
echo "Browser tests ready: $("$chromium" --version 2>/dev/null)," \
  "axe-core $(node -p 'require("./node_modules/axe-core/package.json").version')," \
  "Lighthouse $(node -p 'require("./node_modules/lighthouse/package.json").version')," \
  "vnu.jar $(java -jar node_modules/vnu-jar/build/dist/vnu.jar --version)"
