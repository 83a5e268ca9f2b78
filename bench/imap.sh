#!/usr/bin/env bash
# IMAP and POP3 benchmark (issue 4 item 8): our server against Dovecot (../shared/peer), same
# machine, same load tool (../shared/bench/mailbench.py), alternating ours / peer, each side from
# wiped storage. Scenarios: imap-bigbox (a 100,000-message INBOX filled by MULTIAPPEND, then
# LOGIN/SELECT, the full listing twice, BODYSTRUCTURE and BODY.PEEK[] of 1,000, SEARCH SUBJECT and
# TEXT, STORE on 10,000, EXPUNGE of 1,000), pop3 (on that box: STAT, UIDL, LIST, RETR of 1,000),
# imap-large (bench/imap-large.py on that box: QRESYNC resync after 1,000 flag changes and 1,000
# expunges, SORT by date and subject, THREAD REFERENCES, SEARCH TEXT of a Vietnamese word with and
# without diacritics; issue 5 item 6), imap-idle (1,000 and 5,000 IDLE connections: memory per
# connection, delivery-to-EXISTS latency). See bench/README.md.
#
#   npm run bench:imap                                  # 3 runs per side, the sizes of perf-baseline.md
#   npm run bench:imap -- --runs 1 --messages 20000 --conns 1000
#   npm run bench:imap -- --no-peer --scenarios imap-bigbox,pop3
#
# Options:
#   --runs N             runs per side (default 3)
#   --messages N         messages in the big INBOX (default 100000)
#   --conns LIST         IDLE connection counts (default 1000,5000)
#   --scenarios LIST     comma list of imap-bigbox, pop3, imap-large, imap-idle (default all, in
#                        this order; pop3 and imap-large need the box imap-bigbox fills in the run)
#   --max-seconds S      hard bound for each mailbench scenario (default 1800)
#   --no-peer            skip the peer
#   --out DIR            where results go (default /var/tmp/congthu-bench/imap-<timestamp>)
#
# Needs root for the peer (it installs/starts Dovecot and Postfix). Every socket is on 127.0.0.1.
# Nothing outside --out and /var/tmp/peer-mail (the peer's own) is written.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
SHARED="$(cd "$REPO/../shared" && pwd)"

RUNS=3
MESSAGES=100000
CONNS=1000,5000
SCENARIOS=imap-bigbox,pop3,imap-large,imap-idle
MAXS=1800
PEER_ON=1
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --messages) MESSAGES="$2"; shift 2 ;;
    --conns) CONNS="$2"; shift 2 ;;
    --scenarios) SCENARIOS="$2"; shift 2 ;;
    --max-seconds) MAXS="$2"; shift 2 ;;
    --no-peer) PEER_ON=0; shift ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "bench:imap: unknown option $1 (--help)" >&2; exit 2 ;;
  esac
done
for v in RUNS MESSAGES MAXS; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "bench:imap: $v must be a whole number" >&2; exit 2; }
done
[[ "$CONNS" =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "bench:imap: --conns takes a comma list of numbers" >&2; exit 2; }
for s in ${SCENARIOS//,/ }; do
  case "$s" in imap-bigbox|pop3|imap-large|imap-idle) ;; *) echo "bench:imap: unknown scenario $s" >&2; exit 2 ;; esac
done

STAMP="$(date +%Y%m%d-%H%M%S)"
OUT="${OUT:-/var/tmp/congthu-bench/imap-$STAMP}"
mkdir -p "$OUT"
JSONL="$OUT/results.jsonl"
LARGE_JSONL="$OUT/large.jsonl" # bench/imap-large.py
NOTES="$OUT/resources.txt"
DATA="$OUT/data"
: > "$JSONL"
: > "$LARGE_JSONL"
: > "$NOTES"

BENCH_NAME=bench:imap
# shellcheck source=bench/lib.sh
. "$HERE/lib.sh"

if [ "$PEER_ON" = 1 ]; then
  [ "$(id -u)" = 0 ] || { echo "bench:imap: the peer needs root (or use --no-peer)" >&2; exit 1; }
fi
check_ports "$PEER_ON"
trap stop_all EXIT
trap 'exit 130' INT TERM

scenario() { # $1 label, $2 scenario, $3 smtp, $4 imap, $5 pop3, $6 pid option ("" or --server-pid N / --server-pidfile F)
  local label="$1" sc="$2" smtp="$3" imap="$4" pop3="$5" pidopt="$6" t0 t1 p0=0 p1=0 pid=""
  local args=()
  case "$sc" in
    imap-bigbox) args=(--messages "$MESSAGES" --user 1000) ;;
    pop3) args=(--user 1000) ;;
    imap-idle) args=(--conns "$CONNS") ;;
  esac
  # shellcheck disable=SC2086
  set -- $pidopt
  [ "${1:-}" = --server-pid ] && pid="$2"
  t0="$(date +%s.%N)"; [ -n "$pid" ] && p0="$(proc_ticks "$pid")"
  log "$label $sc"
  if [ "$sc" = imap-large ]; then
    python3 "$HERE/imap-large.py" --port "$imap" --label "$label" --json-out "$LARGE_JSONL" \
      2> "$OUT/mailbench-$label-$sc.log" || log "imap-large $label exited with status $?"
    cat "$OUT/mailbench-$label-$sc.log" >&2
    return 0
  fi
  # shellcheck disable=SC2086
  python3 "$MAILBENCH" --label "$label" --smtp-port "$smtp" --imap-port "$imap" --pop3-port "$pop3" \
    --json-out "$JSONL" --max-seconds "$MAXS" $pidopt "$sc" "${args[@]}" 2> "$OUT/mailbench-$label-$sc.log" ||
    log "mailbench $label $sc exited with status $?"
  t1="$(date +%s.%N)"; [ -n "$pid" ] && p1="$(proc_ticks "$pid")"
  sed -n '/^--- summary/,$p' "$OUT/mailbench-$label-$sc.log" >&2
  if [ -n "$pid" ]; then
    awk -v l="$label $sc" -v t0="$t0" -v t1="$t1" -v p0="$p0" -v p1="$p1" -v hz="$HZ" \
      'BEGIN { w = t1 - t0; printf "%s: wall %.1f s; our process %.1f CPU s = %.0f%% of one core\n", l, w, (p1 - p0) / hz, (p1 - p0) / hz / w * 100 }' |
      tee -a "$NOTES" >&2
  fi
}

log "results in $OUT; $RUNS run(s) per side; $MESSAGES messages; IDLE $CONNS; scenarios $SCENARIOS"
for r in $(seq 1 "$RUNS"); do
  log "run $r/$RUNS: ours (wipe, create users, start)"
  start_ours
  for s in ${SCENARIOS//,/ }; do
    scenario "ours-run$r" "$s" $OURS_SMTP $OURS_IMAP $OURS_POP3 "--server-pid $SERVER_PID"
  done
  du -sh "$DATA" "$DATA/blobs" "$DATA/congthu.db" 2>/dev/null | sed "s/^/ours-run$r storage: /" | tee -a "$NOTES" >&2 || true
  stop_ours
  if [ "$PEER_ON" = 1 ]; then
    log "run $r/$RUNS: peer (start, wiped)"
    start_peer
    for s in ${SCENARIOS//,/ }; do
      scenario "peer-run$r" "$s" $PEER_SMTP $PEER_IMAP $PEER_POP3 "--server-pidfile /run/dovecot-peer/master.pid"
    done
    du -sh /var/tmp/peer-mail 2>/dev/null | sed "s/^/peer-run$r storage: /" | tee -a "$NOTES" >&2 || true
    stop_peer
  fi
done

{
  echo
  echo "## IMAP / POP3: ours vs Dovecot ($RUNS run(s), $MESSAGES messages, IDLE $CONNS)"
  echo
  python3 "$SUMMARIZE" "$JSONL" --group 'ours-run\d+=ours' --group 'peer-run\d+=dovecot'
  if [ -s "$LARGE_JSONL" ]; then
    python3 "$SUMMARIZE" "$LARGE_JSONL" --group 'ours-run\d+=ours' --group 'peer-run\d+=dovecot' --all-metrics
  fi
  echo
  echo "Resources:"
  cat "$NOTES"
  echo
  echo "JSON lines: $JSONL"
} | tee "$OUT/summary.md"
