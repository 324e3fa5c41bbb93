#!/usr/bin/env bash
# A small venv for the unoserver *server*, which needs the `uno` module. Only Debian's
# /usr/bin/python3 has it (package python3-uno), so the venv is built from that interpreter with
# --system-site-packages; the app's own .venv only speaks XML-RPC to the server.
# Idempotent: does nothing when the pinned version is already importable there.
set -euo pipefail
cd "$(dirname "$0")/.."
UNOSERVER_VERSION="3.7"
VENV_UNO="${VENV_UNO:-.venv-uno}"
SYSTEM_PYTHON="${SYSTEM_PYTHON:-/usr/bin/python3}"

if ! "$SYSTEM_PYTHON" -c "import uno" 2>/dev/null; then
  echo "install-unoserver: $SYSTEM_PYTHON has no 'uno' module (apt-get install python3-uno)" >&2
  exit 1
fi
if [ -x "$VENV_UNO/bin/python" ] \
  && "$VENV_UNO/bin/python" -c "import uno, importlib.metadata as m, sys; sys.exit(m.version('unoserver') != '$UNOSERVER_VERSION')" 2>/dev/null; then
  echo "unoserver $UNOSERVER_VERSION: present in $VENV_UNO"
  exit 0
fi
"$SYSTEM_PYTHON" -m venv --system-site-packages "$VENV_UNO"
"$VENV_UNO/bin/python" -m pip install -q --disable-pip-version-check "unoserver==$UNOSERVER_VERSION"
echo "unoserver $UNOSERVER_VERSION: installed in $VENV_UNO"
