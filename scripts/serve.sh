#!/usr/bin/env bash
# Start the action server, the Rasa server (REST and socket.io channels) and the chat page; Ctrl-C stops them.
set -uo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
export WEB_PORT=${WEB_PORT:-8080}  # the chat page; socket.io accepts WEB_ALLOWED_ORIGINS (default: this page)
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

mkdir -p run
ENDPOINTS=run/endpoints.yml
sed "s|localhost:5055|localhost:${ACTIONS_PORT}|" endpoints.yml > "$ENDPOINTS"

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping the assistant..."
  kill "${pids[@]}" 2>/dev/null
  wait "${pids[@]}" 2>/dev/null
  echo "Stopped."
}
trap stop INT TERM EXIT

start=$(date +%s)
.venv/bin/rasa run actions --actions actions.actions --port "$ACTIONS_PORT" > run/actions.log 2>&1 &
pids+=($!)
.venv/bin/rasa run --model "$MODEL" --port "$RASA_PORT" --endpoints "$ENDPOINTS" --credentials credentials.yml \
  --cors "*" > run/rasa.log 2>&1 &
rasa_pid=$!
pids+=($rasa_pid)
$PY web/serve.py --port "$WEB_PORT" --rasa-port "$RASA_PORT" > run/web.log 2>&1 &
pids+=($!)
echo "Starting (logs in run/rasa.log and run/actions.log)..."

ready() { $PY -c "import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" 2>/dev/null; }
until ready "http://localhost:${ACTIONS_PORT}/health" && ready "http://localhost:${RASA_PORT}/" \
    && ready "http://localhost:${WEB_PORT}/"; do
  for pid in "${pids[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "A server stopped while starting; the last lines of its log:"; tail -n 15 run/rasa.log run/actions.log
      exit 1
    fi
  done
  sleep 1
done
echo "Ready after $(( $(date +%s) - start )) s. Ask over REST, for example:"
echo "  curl -s localhost:${RASA_PORT}/webhooks/rest/webhook -d '{\"sender\": \"me\", \"message\": \"what do I need for IFS?\"}'"
echo "Chat page: http://localhost:${WEB_PORT}/  (advisor view: http://localhost:${WEB_PORT}/advisor.html)"
echo "Press Ctrl-C to stop."
# Rasa keeps answering (with an apology) if the action server dies; the script ends when Rasa does.
wait "$rasa_pid"
echo "The Rasa server stopped; see run/rasa.log."
