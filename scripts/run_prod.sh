#!/usr/bin/env bash
# The production profile on one machine: nginx in front of RASA_REPLICAS Rasa servers and one action server with
# ACTION_WORKERS workers, sharing PostgreSQL (knowledge and conversations) and Redis (one lock per conversation).
# Settings and defaults: serving/prod.py. Ctrl-C stops everything.
set -uo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false
export DATABASE_URL=${DATABASE_URL:-postgresql+psycopg2://postgres@127.0.0.1:5432/iecmh}
PY=.venv/bin/python
MODEL=${RASA_MODEL:-models/iecmh.tar.gz}
PROD_DIR=${PROD_DIR:-build/prod}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
PROD_PORT=${PROD_PORT:-5080}
export ACTIONS_PORT PROD_PORT

command -v nginx >/dev/null || { echo "nginx is not installed: apt-get update && apt-get install -y nginx"; exit 1; }
[ -f "$MODEL" ] || { echo "No trained model at $MODEL: run 'make train'."; exit 1; }
mkdir -p "$PROD_DIR" && PROD_DIR=$(cd "$PROD_DIR" && pwd)
rasa_ports=$($PY -m serving.prod "$PROD_DIR") || exit 1
export CONVERSATIONS_DATABASE_URL=${CONVERSATIONS_DATABASE_URL:-$DATABASE_URL}
export LOCK_STORE_URL=${LOCK_STORE_URL:-$($PY -c "from serving.prod import lock_store_url, settings; print(lock_store_url(settings()))")}
$PY -m actions.knowledge.loader >/dev/null || exit 1

STOPPING="the production profile"
start_failed() { echo "See the logs in $PROD_DIR."; }
source scripts/processes.sh
start_replica() {
  SANIC_WORKERS=1 $PY -m serving.server run --model "$MODEL" --port "$1" --endpoints "$PROD_DIR/endpoints.yml" \
    --credentials credentials.yml > "$PROD_DIR/rasa-$1.log" 2>&1 &
  pids+=($!)
  echo $! > "$PROD_DIR/rasa-$1.pid"
}
tables_exist() {
  $PY -c "import os,sys; from sqlalchemy import create_engine, inspect
sys.exit(0 if inspect(create_engine(os.environ['CONVERSATIONS_DATABASE_URL'])).has_table('events') else 1)"
}

start=$(date +%s)
ACTION_SERVER_SANIC_WORKERS=${ACTION_WORKERS:-2} .venv/bin/rasa run actions --actions actions.actions \
  --port "$ACTIONS_PORT" > "$PROD_DIR/actions.log" 2>&1 &
pids+=($!)
first=1
for port in $rasa_ports; do
  start_replica "$port"
  # The first replica creates the conversation tables alone.
  if [ $first = 1 ] && ! tables_exist; then wait_for "http://localhost:$port/"; fi
  first=0
done
nginx -c "$PROD_DIR/nginx.conf" -p "$PROD_DIR" &
nginx_pid=$!
pids+=($nginx_pid)
for port in $rasa_ports; do wait_for "http://localhost:$port/"; done
wait_for "http://localhost:$ACTIONS_PORT/health"
wait_for "http://localhost:$PROD_PORT/health"
echo "Ready after $(( $(date +%s) - start )) s: http://localhost:$PROD_PORT/webhooks/rest/webhook (replicas on $rasa_ports)"
# A stopped replica or worker leaves the others answering; the profile ends when nginx does.
wait "$nginx_pid"
echo "nginx stopped; see the logs in $PROD_DIR."
