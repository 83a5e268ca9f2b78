# Shared by bench/smtp.sh and bench/imap.sh (sourced, not run): our server and the peer, started
# and stopped the same way for every benchmark. Expects REPO, SHARED, OUT and DATA to be set.
# shellcheck shell=bash

PEER="$SHARED/peer"
MAILBENCH="$SHARED/bench/mailbench.py"
SUMMARIZE="$SHARED/bench/summarize.py"
# Our ports (the defaults of src/config) and the peer's (../shared/peer/README.md).
OURS_SMTP=2525 OURS_IMAP=2143 OURS_POP3=2110
PEER_SMTP=10025 PEER_IMAP=10143 PEER_POP3=10110
OUR_PORTS=(2525 2587 2465 2143 2993 2110 2995 8080)
SERVER_PID=""
PEER_UP=0

log() { printf '[%s %s] %s\n' "$BENCH_NAME" "$(date +%H:%M:%S)" "$*" >&2; }

listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

# Refuse to start when a server already holds our ports or (with the peer) the peer's.
check_ports() { # $1 = 1 when the peer will run
  local p
  for p in "${OUR_PORTS[@]}"; do
    if listening "$p"; then echo "$BENCH_NAME: port $p is already in use; stop the other server first" >&2; exit 1; fi
  done
  if [ "$1" = 1 ]; then
    for p in $PEER_SMTP $PEER_IMAP $PEER_POP3; do
      if listening "$p"; then echo "$BENCH_NAME: peer port $p is in use; run $PEER/stop.sh --wipe first" >&2; exit 1; fi
    done
  fi
}

# CPU ticks of one process, and of the whole machine.
HZ="$(getconf CLK_TCK)"
proc_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
machine_ticks() { awk '/^cpu /{busy=$2+$3+$4+$7+$8; print busy, busy+$5+$6}' /proc/stat; }

# Fresh data dir with user, user1..user1000 (bench/README.md "Users"), then the server; sets SERVER_PID.
start_ours() {
  rm -rf "$DATA"
  (cd "$REPO" && CONGTHU_DATA_DIR="$DATA" node --import tsx bench/setup-users.ts --users 1000) >&2
  # Thousands of IDLE connections need as many descriptors as the hard limit allows.
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  CONGTHU_DATA_DIR="$DATA" CONGTHU_LOG_LEVEL=warn node "$REPO/bin/congthu.mjs" serve \
    >> "$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  local i
  for i in $(seq 1 300); do
    if listening $OURS_SMTP && listening $OURS_IMAP && listening $OURS_POP3; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "$BENCH_NAME: our server exited; see $OUT/server.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$BENCH_NAME: our server did not listen on $OURS_SMTP, $OURS_IMAP and $OURS_POP3 within 60 s" >&2
  exit 1
}

stop_ours() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  local i
  for i in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$SERVER_PID" 2>/dev/null && { log "server did not stop in 30 s; SIGKILL"; kill -KILL "$SERVER_PID"; }
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

start_peer() {
  bash "$PEER/start.sh" > "$OUT/peer-start.log" 2>&1 || { cat "$OUT/peer-start.log" >&2; exit 1; }
  PEER_UP=1
}

stop_peer() {
  bash "$PEER/stop.sh" --wipe >> "$OUT/peer-stop.log" 2>&1 || true
  PEER_UP=0
}

# For `trap … EXIT`: whatever is still running stops.
stop_all() {
  stop_ours
  if [ "$PEER_UP" = 1 ]; then stop_peer; fi
}
