#!/usr/bin/env bash
# Installs what knoop needs on a fresh Debian 12 machine, then the locked Python environment.
# Safe to run again: it skips what is already there.
#   scripts/bootstrap.sh          runtime (uv + locked venv)
#   scripts/bootstrap.sh --test   also the test tools (Chromium, poppler, wrk)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

apt_pkgs=()
need() { dpkg -s "$1" >/dev/null 2>&1 || apt_pkgs+=("$1"); }
if command -v dpkg >/dev/null; then
  need libcairo2
  need fonts-dejavu-core
  if [ "$want_test" = 1 ]; then
    need chromium
    need poppler-utils
    need wrk
    [ -x /usr/lib/postgresql/15/bin/initdb ] || need postgresql-15
  fi
fi
if [ "${#apt_pkgs[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  echo "bootstrap: installing ${apt_pkgs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_pkgs[@]}" >/dev/null
fi

# The PostgreSQL tests run initdb as user postgres (initdb refuses root).
if [ "$want_test" = 1 ] && [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
  echo "bootstrap: adding system user postgres"
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

export UV_PYTHON_DOWNLOADS=never
if ! python3 -m uv --version >/dev/null 2>&1; then
  echo "bootstrap: installing uv"
  python3 -m pip install -q uv
fi
# Bytecode compiled once at install: with PYTHONDONTWRITEBYTECODE set (common in containers)
# every CLI call would otherwise compile each module it imports again (knoop --help: ~3 s).
python3 -m uv sync --locked -q --compile-bytecode
.venv/bin/python -m compileall -q -j 0 src >/dev/null || true
