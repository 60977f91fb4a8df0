#!/usr/bin/env bash
# Make a fresh machine ready: a virtualenv with the project and its test extras,
# and a Chromium that Playwright can drive. Idempotent: reruns are cheap.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp" ]; then
  .venv/bin/pip install -q --upgrade pip >/dev/null
  .venv/bin/pip install -q -e ".[test,bench]"
  rm -f .venv/.installed-* && touch "$stamp"
fi

# PostgreSQL for the several-machines tests (a real server in a temporary folder): Debian's
# package when its binaries are missing and we may install (root, apt-get).
if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    { apt-get install -y -qq postgresql || { apt-get update -qq && apt-get install -y -qq postgresql; }; } >/dev/null 2>&1 \
      || echo "setup: could not install postgresql; the several-machines tests need it" >&2
  else
    echo "setup: PostgreSQL not found: install it (e.g. 'sudo apt-get install postgresql') for the several-machines tests" >&2
  fi
fi

# Debian's headless shell (Playwright's own choice for headless runs) next to a system
# Chromium: a third of the CPU per page. Tried once per virtualenv; absent is fine.
headless_shell() {
  [ -f .venv/.headless-shell-tried ] && return 0
  touch .venv/.headless-shell-tried
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null && [ ! -x /usr/lib/chromium/chromium-headless-shell ]; then
    export DEBIAN_FRONTEND=noninteractive
    { apt-get install -y -qq chromium-headless-shell || { apt-get update -qq && apt-get install -y -qq chromium-headless-shell; }; } \
      >/dev/null 2>&1 || echo "setup: chromium-headless-shell not available; the full Chromium is used" >&2
  fi
  return 0
}

# Chromium: Playwright's own build if present or downloadable, else the system one.
# (--check launches the browser: run it once and read which one it found.)
if found=$(.venv/bin/python -m rpa.runtime.browser --check 2>/dev/null); then
  case "$found" in *sistema*) headless_shell ;; esac
  exit 0
fi
if timeout 120 .venv/bin/python -m playwright install chromium >/dev/null 2>&1 \
   && .venv/bin/python -m rpa.runtime.browser --check >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "setup: installing Debian's chromium (Playwright's download is not reachable)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
  headless_shell
fi
.venv/bin/python -m rpa.runtime.browser --check || {
  echo "setup: no Chromium found. Install one (e.g. 'sudo apt-get install chromium')" >&2
  echo "       or run '.venv/bin/python -m playwright install chromium', or set RPA_BROWSER_PATH." >&2
  exit 1
}
