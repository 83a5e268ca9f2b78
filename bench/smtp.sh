#!/usr/bin/env bash
# SMTP ingest benchmark (issue 3 item 8): our server against Postfix+Dovecot (../shared/peer), same
# machine, same load tool (../shared/bench/mailbench.py smtp-ingest: realistic mix, 8 connections),
# runs alternating ours / peer, each side from wiped storage. See bench/README.md.
#
#   npm run bench:smtp                                  # 3 runs x 10,000 messages + fsync count
#   npm run bench:smtp -- --runs 1 --messages 2000      # shorter
#   npm run bench:smtp -- --no-peer                     # ours only
#
# Options:
#   --runs N             runs per side (default 3)
#   --messages N         messages per run (default 10000)
#   --concurrency N      SMTP connections (default 8)
#   --mix realistic|text (default realistic)
#   --max-seconds S      hard bound for each mailbench scenario (default 1500)
#   --fsync-messages N   messages for the strace fsync count of ours (default 1000; 0 = skip)
#   --no-peer            skip the peer
#   --out DIR            where results go (default /var/tmp/congthu-bench/smtp-<timestamp>)
#
# Needs root for the peer (it installs/starts Postfix and Dovecot) and for strace.
# Every socket is on 127.0.0.1. Nothing outside --out, /var/tmp/peer-mail (the peer's own) and the
# data dir under --out is written.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
SHARED="$(cd "$REPO/../shared" && pwd)"

RUNS=3
MESSAGES=10000
CONC=8
MIX=realistic
MAXS=1500
FSYNC_MSGS=1000
PEER_ON=1
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --messages) MESSAGES="$2"; shift 2 ;;
    --concurrency) CONC="$2"; shift 2 ;;
    --mix) MIX="$2"; shift 2 ;;
    --max-seconds) MAXS="$2"; shift 2 ;;
    --fsync-messages) FSYNC_MSGS="$2"; shift 2 ;;
    --no-peer) PEER_ON=0; shift ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "bench:smtp: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done
for v in RUNS MESSAGES CONC MAXS FSYNC_MSGS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "bench:smtp: $v must be a whole number" >&2; exit 2; }
done

STAMP="$(date +%Y%m%d-%H%M%S)"
OUT="${OUT:-/var/tmp/congthu-bench/smtp-$STAMP}"
mkdir -p "$OUT"
JSONL="$OUT/results.jsonl"
FSYNC_JSONL="$OUT/fsync.jsonl" # the strace runs: kept apart, their throughput is not comparable
NOTES="$OUT/resources.txt"   # CPU of our process / whole machine per run
DATA="$OUT/data"              # our data dir, wiped before every run
: > "$JSONL"
: > "$NOTES"

BENCH_NAME=bench:smtp
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"

if [ "$PEER_ON" = 1 ] || [ "$FSYNC_MSGS" -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "bench:smtp: the peer and strace need root (or use --no-peer --fsync-messages 0)" >&2; exit 1; }
fi
check_ports "$PEER_ON"

MON_PIDS=()
cleanup() {
  stop_monitors
  stop_all
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- resource sampling ----
start_monitors() { # $1 = label, $2 = pid or ""
  MON_PIDS=()
  if command -v vmstat >/dev/null; then
    vmstat -n 5 > "$OUT/vmstat-$1.txt" 2>&1 &
    MON_PIDS+=($!)
  fi
  if [ -n "$2" ] && command -v pidstat >/dev/null; then
    pidstat -t -u -h -p "$2" 5 > "$OUT/pidstat-$1.txt" 2>&1 &
    MON_PIDS+=($!)
  fi
}
stop_monitors() {
  local p
  for p in "${MON_PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  MON_PIDS=()
}

mailbench() { # $1 label, $2 smtp port, $3 imap port, rest: scenario options
  local label="$1" smtp="$2" imap="$3"
  shift 3
  python3 "$MAILBENCH" --label "$label" --smtp-port "$smtp" --imap-port "$imap" \
    --json-out "$JSONL" --max-seconds "$MAXS" smtp-ingest "$@" 2> "$OUT/mailbench-$label.log" ||
    log "mailbench $label exited with status $?"
  grep -A20 '^--- summary' "$OUT/mailbench-$label.log" >&2 || tail -5 "$OUT/mailbench-$label.log" >&2
}

measured_run() { # $1 label, $2 pid (ours) or "", $3 smtp, $4 imap
  local label="$1" pid="$2" t0 t1 m0 m1 p0=0 p1=0
  t0="$(date +%s.%N)"; m0="$(machine_ticks)"; [ -n "$pid" ] && p0="$(proc_ticks "$pid")"
  start_monitors "$label" "$pid"
  mailbench "$label" "$3" "$4" --messages "$MESSAGES" --concurrency "$CONC" --mix "$MIX"
  stop_monitors
  t1="$(date +%s.%N)"; m1="$(machine_ticks)"; [ -n "$pid" ] && p1="$(proc_ticks "$pid")"
  awk -v l="$label" -v t0="$t0" -v t1="$t1" -v m0="$m0" -v m1="$m1" -v p0="$p0" -v p1="$p1" -v hz="$HZ" \
    -v la="$(cut -d' ' -f1-3 /proc/loadavg)" \
    'BEGIN { split(m0, a, " "); split(m1, b, " "); wall = t1 - t0;
      busy = (b[1] - a[1]) / (b[2] - a[2]) * 100;
      printf "%s: wall %.1f s (ingest + IMAP verify); machine busy %.0f%% of 2 cores (load avg after: %s)", l, wall, busy, la;
      if (p1 > 0) printf "; our process %.1f CPU s = %.0f%% of one core", (p1 - p0) / hz, (p1 - p0) / hz / wall * 100;
      printf "\n" }' | tee -a "$NOTES" >&2
}

log "results in $OUT; $RUNS run(s) per side, $MESSAGES messages, $CONC connections, mix $MIX"
for r in $(seq 1 "$RUNS"); do
  log "run $r/$RUNS: ours (wipe, create users, start)"
  start_ours
  measured_run "ours-run$r" "$SERVER_PID" $OURS_SMTP $OURS_IMAP
  stop_ours
  if [ "$PEER_ON" = 1 ]; then
    log "run $r/$RUNS: peer (start, wiped)"
    start_peer
    measured_run "peer-run$r" "" $PEER_SMTP $PEER_IMAP
    stop_peer
  fi
done

# ---- fsyncs per message, ours, under strace (attached after start-up, so only ingest counts) ----
fsync_count() { # $1 label, rest: mailbench options
  local label="$1"
  shift
  start_ours
  local trace="$OUT/strace-$label.txt"
  strace -C -f -y -e trace=fsync,fdatasync -p "$SERVER_PID" -o "$trace" 2> "$OUT/strace-$label.err" &
  local spid=$!
  sleep 2 # let strace attach to every thread
  python3 "$MAILBENCH" --label "$label" --smtp-port $OURS_SMTP --imap-port $OURS_IMAP --json-out "$FSYNC_JSONL" \
    --max-seconds "$MAXS" smtp-ingest --no-verify --concurrency "$CONC" "$@" 2> "$OUT/mailbench-$label.log" ||
    log "mailbench $label exited with status $?"
  sleep 1
  kill -INT "$spid" 2>/dev/null || true
  wait "$spid" 2>/dev/null || true
  stop_ours
  python3 - "$trace" "$FSYNC_JSONL" "$label" <<'EOF' | tee -a "$NOTES" >&2
import json, re, sys
trace, jsonl, label = sys.argv[1:]
acked = rcpts = 0
for line in open(jsonl):
    r = json.loads(line)
    if r.get("label") == label and r.get("step") == "ingest":
        acked, rcpts = r["messages_acked"], r["rcpts_acked"]
kinds = {}
call = re.compile(r"^\d+\s+(fsync|fdatasync)\((\d+)<([^>]*)>")
for line in open(trace):
    m = call.match(line)
    if not m:
        continue
    path = m.group(3)
    if path.endswith("-wal"): k = "SQLite WAL (commit)"
    elif path.endswith(".db"): k = "SQLite database (checkpoint)"
    elif "/blobs/tmp/" in path: k = "blob file"
    elif "/blobs" in path: k = "blob directories"
    else: k = "other: " + path
    kinds[k] = kinds.get(k, 0) + 1
total = sum(kinds.values())
print(f"{label}: {acked} messages acknowledged ({rcpts} rcpts); {total} fsync+fdatasync calls = "
      f"{total / acked if acked else float('nan'):.2f} per message (peer: 4.40, perf-baseline.md)")
for k, n in sorted(kinds.items(), key=lambda x: -x[1]):
    print(f"    {k:32s} {n:7d}  {n / acked if acked else 0:.2f}/msg")
wal = kinds.get("SQLite WAL (commit)", 0)
if wal:
    print(f"    -> about {acked / wal:.1f} messages per committed transaction (group commit batch size)")
EOF
  sed -n '/% time/,$p' "$trace" >> "$NOTES" || true
}
if [ "$FSYNC_MSGS" -gt 0 ]; then
  log "fsync count of ours: realistic mix, $FSYNC_MSGS messages, under strace"
  fsync_count fsync-realistic --messages "$FSYNC_MSGS" --mix realistic
  log "fsync count of ours: 500 single-recipient 4-20 KB messages (the peer's measurement)"
  fsync_count fsync-text --messages 500 --mix text --multi-rcpt-pct 0
fi

# ---- summary ----
{
  echo
  echo "## SMTP ingest: ours vs Postfix+Dovecot ($RUNS run(s), $MESSAGES messages, $CONC connections, mix $MIX)"
  echo
  python3 "$SUMMARIZE" "$JSONL" --group 'ours-run\d+=ours' --group 'peer-run\d+=postfix+dovecot'
  echo
  echo "Latency p90 and failures (all metrics, filtered):"
  python3 "$SUMMARIZE" "$JSONL" --group 'ours-run\d+=ours' --group 'peer-run\d+=postfix+dovecot' --all-metrics |
    grep -E -e '^\| step \|' -e '^\|---\|' \
      -e '^\| [a-z]+ \| (latency\.(p50|p90|p99|max)_ms|failures[.a-zA-Z0-9_]*|missing_total|rcpt_deliveries_(expected|found)|messages_acked) \|' || true
  echo
  echo "Resources:"
  cat "$NOTES"
  echo
  echo "JSON lines: $JSONL"
} | tee "$OUT/summary.md"
