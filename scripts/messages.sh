#!/usr/bin/env bash
# `make messages`: refresh the English catalogs of each app from its code AND its templates
# (templates/<app>/ live outside the app folder, so a plain `makemessages` run in the app would
# miss them and, with --no-obsolete, drop their translations), then compile them.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
for APP in b24app wizard documents; do
  WORK=$(mktemp -d)
  ln -s "$ROOT/$APP/locale" "$WORK/locale"
  ln -s "$ROOT/$APP" "$WORK/$APP"
  mkdir "$WORK/templates"
  [ -d "$ROOT/templates/$APP" ] && ln -s "$ROOT/templates/$APP" "$WORK/templates/$APP"
  (cd "$WORK" && "$ROOT/.venv/bin/python" "$ROOT/manage.py" makemessages -l en --no-obsolete \
    --symlinks --ignore "$APP/locale" --ignore "$APP/migrations" --add-location file)
  rm -rf "$WORK"
  (cd "$APP" && "$ROOT/.venv/bin/python" "$ROOT/manage.py" compilemessages -l en)
done
