#!/usr/bin/env bash
# What the local cluster (`make cluster`, scripts/cluster.sh), its tests (tests/test_cluster_edge.py)
# and bench/edge_bench.py need besides the Python packages: Debian's Varnish, wrk and nginx.
# Installs only what is missing, so it is cheap to run every time. apt-get needs root, or sudo.
# Debian's varnish package would start its own varnishd on :6081 where services may start; the
# cluster runs its own varnishd and never uses that one.
set -euo pipefail

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
missing=()
command -v varnishd >/dev/null || [ -x /usr/sbin/varnishd ] || missing+=(varnish)
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Missing: ${missing[*]}: apt-get install -y ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
