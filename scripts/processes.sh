# Shared by serve.sh and run_prod.sh (sourced): the servers they start, stopping them all on exit, and waiting
# for each to answer. The caller sets PY, STOPPING (what is being stopped) and may define start_failed, which runs
# when a server stops while the others are starting.
pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping $STOPPING..."
  kill "${pids[@]}" 2>/dev/null
  wait "${pids[@]}" 2>/dev/null
  echo "Stopped."
}
trap stop INT TERM EXIT

ready() { $PY -c "import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" 2>/dev/null; }
wait_for() {
  until ready "$1"; do
    for pid in "${pids[@]}"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "A server stopped while starting."
        declare -F start_failed >/dev/null && start_failed
        exit 1
      fi
    done
    sleep 0.5
  done
}
