#!/usr/bin/env bash
# Start the action server, the Rasa server (REST and socket.io channels) and the chat page; Ctrl-C stops them.
set -uo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
export WEB_PORT=${WEB_PORT:-8080}  # the chat page; web origins: CORS_ORIGINS (default: this page)
PY=.venv/bin/python
MODEL=${RASA_MODEL:-models/iecmh.tar.gz}

port_in_use() { $PY -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', int(sys.argv[1]))) != 0)" "$1"; }
for port in "$RASA_PORT" "$ACTIONS_PORT"; do
  if port_in_use "$port"; then
    echo "Port $port is already in use: stop the program using it (an earlier 'make run'?) or set RASA_PORT / ACTIONS_PORT."
    exit 1
  fi
done
[ -f "$MODEL" ] || { echo "No trained model at $MODEL: run 'make train' (or 'make run', which trains it)."; exit 1; }
$PY -m actions.knowledge.database || exit 1
if port_in_use "$WEB_PORT"; then
  echo "Port $WEB_PORT (the chat page) is already in use: stop the program using it or set WEB_PORT."
  exit 1
fi
$PY -m conversation_store.retention || exit 1
# Web pages may call the REST channel and connect to socket.io only from these origins (space- or comma-separated);
# the action server listens on ACTIONS_HOST only.
CORS_ORIGINS=${CORS_ORIGINS:-http://localhost:${WEB_PORT} http://127.0.0.1:${WEB_PORT}}
export CORS_ORIGINS=${CORS_ORIGINS//,/ }
ACTIONS_HOST=${ACTIONS_HOST:-127.0.0.1}

RUN_DIR=${RUN_DIR:-run}  # logs and the endpoints file of this start
mkdir -p "$RUN_DIR"
ENDPOINTS=$RUN_DIR/endpoints.yml
sed "s|localhost:5055|localhost:${ACTIONS_PORT}|" endpoints.yml > "$ENDPOINTS"

STOPPING="the assistant"
start_failed() { echo "The last lines of its log:"; tail -n 15 "$RUN_DIR/rasa.log" "$RUN_DIR/actions.log"; }
source scripts/processes.sh

start=$(date +%s)
SANIC_HOST="$ACTIONS_HOST" .venv/bin/rasa run actions --actions actions.actions --port "$ACTIONS_PORT" > "$RUN_DIR/actions.log" 2>&1 &
pids+=($!)
# serving.server is `rasa run` with the speed-ups of serving/patches.py.
$PY -m serving.server run --model "$MODEL" --port "$RASA_PORT" --endpoints "$ENDPOINTS" --credentials credentials.yml \
  --cors $CORS_ORIGINS > "$RUN_DIR/rasa.log" 2>&1 &
rasa_pid=$!
pids+=($rasa_pid)
$PY web/serve.py --port "$WEB_PORT" --rasa-port "$RASA_PORT" > "$RUN_DIR/web.log" 2>&1 &
pids+=($!)
echo "Starting (logs in $RUN_DIR/rasa.log, $RUN_DIR/actions.log and $RUN_DIR/web.log)..."

wait_for "http://localhost:${ACTIONS_PORT}/health"
wait_for "http://localhost:${RASA_PORT}/"
wait_for "http://localhost:${WEB_PORT}/"
echo "Ready after $(( $(date +%s) - start )) s. Ask over REST, for example:"
echo "  curl -s localhost:${RASA_PORT}/webhooks/rest/webhook -d '{\"sender\": \"me\", \"message\": \"what do I need for IFS?\"}'"
echo "Chat page: http://localhost:${WEB_PORT}/  (advisor view: http://localhost:${WEB_PORT}/advisor.html)"
echo "Press Ctrl-C to stop."
# Rasa keeps answering (with an apology) if the action server dies; the script ends when Rasa does.
wait "$rasa_pid"
echo "The Rasa server stopped; see $RUN_DIR/rasa.log."
