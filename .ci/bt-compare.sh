#!/bin/sh
# Compares indextop's backtest with bt 1.4.1: NAV parity at 0 fees and timing (see .ci/bt_compare.py).
# bt lives in a throwaway venv outside the repo; the test suite never needs Python.
set -eu
cd "$(dirname "$0")/.."
VENV=${BT_VENV:-/tmp/btvenv}
[ -x "$VENV/bin/python" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q bt==1.4.1; }
[ -n "${INDEXTOP:-}" ] || { swift build -c release --product indextop >/dev/null; INDEXTOP=.build/release/indextop; }
export INDEXTOP
exec "$VENV/bin/python" .ci/bt_compare.py
