#!/usr/bin/env bash
# `make demo`: run the app, a Celery worker and beat, and both sandboxes on this machine, install
# the app into the sandbox portal through the real installer flow, connect the sandbox 1C, and
# print the URL of a sandbox deal card. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

APP_PORT="${APP_PORT:-8000}"
B24_PORT="${B24_PORT:-8020}"
ONEC_PORT="${ONEC_PORT:-8010}"
PY=.venv/bin/python

export PUBLIC_BASE_URL="http://127.0.0.1:${APP_PORT}"
export B24_CLIENT_ID="${B24_CLIENT_ID:-local.demo}"
export B24_CLIENT_SECRET="${B24_CLIENT_SECRET:-demo-secret}"
export B24_OAUTH_URL="http://127.0.0.1:${B24_PORT}"
export B24_ALLOW_INSECURE_PORTALS=1
export B24_JS_URL="http://127.0.0.1:${B24_PORT}/bx24-shim.js"
mkdir -p .data/logs

pids=()
cleanup() {
  echo "stopping…"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 20); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && return 0
    sleep 0.5
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

wait_for() {  # url, name
  for _ in $(seq 60); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.5
  done
  echo "$2 did not start; see .data/logs/" >&2
  exit 1
}

$PY manage.py migrate --noinput >/dev/null
$PY manage.py collectstatic --noinput >/dev/null

$PY manage.py sandbox_onec --port "$ONEC_PORT" --profile "${ONEC_PROFILE:-bp30}" \
  >.data/logs/sandbox_onec.log 2>&1 & pids+=($!)
$PY manage.py sandbox_bitrix24 --port "$B24_PORT" --app-url "$PUBLIC_BASE_URL" \
  >.data/logs/sandbox_bitrix24.log 2>&1 & pids+=($!)
.venv/bin/gunicorn b24app.wsgi --bind "127.0.0.1:${APP_PORT}" --workers 2 --threads 4 \
  --timeout 90 >.data/logs/web.log 2>&1 & pids+=($!)
.venv/bin/celery -A b24app worker --loglevel INFO --concurrency 2 \
  >.data/logs/worker.log 2>&1 & pids+=($!)
.venv/bin/celery -A b24app beat --loglevel INFO >.data/logs/beat.log 2>&1 & pids+=($!)

wait_for "http://127.0.0.1:${ONEC_PORT}/demo/hs/docs1c/v1/ping" "1C sandbox"
wait_for "http://127.0.0.1:${B24_PORT}/" "Bitrix24 sandbox"
wait_for "${PUBLIC_BASE_URL}/b24/install/" "the app"

$PY manage.py demo_setup --portal "http://127.0.0.1:${B24_PORT}" \
  --onec "http://127.0.0.1:${ONEC_PORT}/demo/" --onec-profile "${ONEC_PROFILE:-bp30}"

echo
echo "Ready. Open the sandbox deal card (manager Анна Смирнова):"
echo "  http://127.0.0.1:${B24_PORT}/crm/deal/details/1/?user=2"
echo "Portal admin (settings): http://127.0.0.1:${B24_PORT}/marketplace/app/?user=1"
echo "Logs: .data/logs/   Stop: Ctrl-C"
wait
