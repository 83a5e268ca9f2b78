#!/usr/bin/env python3
"""IMAP on a large mailbox (issue 5 item 6): QRESYNC resynchronisation, SORT, THREAD and SEARCH TEXT
for a Vietnamese word with and without diacritics, timed on the box that `mailbench.py imap-bigbox`
filled (user1000's INBOX, 100,000 messages), the same way against any server.

  python3 bench/imap-large.py --port 2143 --label ours-run1 --json-out large.jsonl
  python3 bench/imap-large.py --port 10143 --label peer-run1 --json-out large.jsonl

Steps (each a JSON line {"scenario": "imap-large", "step", "seconds", "bytes", ...}):
  qresync_prepare      a client SELECTs with QRESYNC on and remembers UIDVALIDITY and HIGHESTMODSEQ;
  changes_flags_1000   another session: UID STORE of 1,000 random UIDs +FLAGS.SILENT (\\Seen \\Answered)
  changes_expunge_1000 then UID STORE +FLAGS.SILENT (\\Deleted) on 1,000 others and UID EXPUNGE;
  qresync_resync       the first client comes back: SELECT INBOX (QRESYNC (uidvalidity modseq)),
                       time and bytes until the tagged OK (VANISHED (EARLIER) + changed FLAGS);
  sort_date, sort_subject   UID SORT (DATE) / (SUBJECT) UTF-8 ALL, first and repeat;
  thread_references    UID THREAD REFERENCES UTF-8 ALL, first and repeat;
  search_text_vi       UID SEARCH CHARSET UTF-8 TEXT "Hiền Lương" (in a fraction of the bodies);
  search_text_vi_ascii the same word without diacritics, "Hien Luong" (exact IMAP semantics: no hits
                       expected on either server; the time is the point).
Only 127.0.0.0/8 is allowed. Python 3.11 standard library only.
"""
import argparse
import json
import random
import re
import socket
import sys
import time

LITERAL = re.compile(rb"\{(\d+)\}\r\n$")


class Imap:
    def __init__(self, host, port, timeout):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.f = self.sock.makefile("rb")
        self.n = 0
        self.f.readline()

    def cmd(self, text, literal=None):
        """Send a command (with one LITERAL+ argument appended when given); return
        (seconds, bytes received, untagged lines, tagged line)."""
        self.n += 1
        tag = f"b{self.n}"
        t0 = time.perf_counter()
        if literal is None:
            self.sock.sendall(f"{tag} {text}\r\n".encode())
        else:
            data = literal.encode()
            self.sock.sendall(f"{tag} {text} {{{len(data)}+}}\r\n".encode() + data + b"\r\n")
        got, lines = 0, []
        while True:
            line = self.f.readline()
            if not line:
                raise ConnectionError("connection closed")
            got += len(line)
            m = LITERAL.search(line)
            if m:
                body = self.f.read(int(m.group(1)))
                got += len(body)
                line += body + self.f.readline()
            if line.startswith(tag.encode() + b" "):
                return time.perf_counter() - t0, got, lines, line.decode(errors="replace").strip()
            lines.append(line)

    def ok(self, text, literal=None):
        r = self.cmd(text, literal)
        if not r[3].split(" ", 2)[1] == "OK":
            raise RuntimeError(f"{text!r} -> {r[3]}")
        return r

    def close(self):
        try:
            self.cmd("LOGOUT")
        except Exception:
            pass
        self.sock.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", default="user1000@quangtri.gov.vn")
    ap.add_argument("--password", default="Test@1234")
    ap.add_argument("--label", default="")
    ap.add_argument("--json-out")
    ap.add_argument("--changes", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--timeout", type=float, default=600)
    a = ap.parse_args()
    if not a.host.startswith("127.") and a.host != "::1":
        sys.exit("imap-large: loopback targets only")
    out = open(a.json_out, "a") if a.json_out else None

    def emit(step, seconds, nbytes, **extra):
        rec = {"ts": time.time(), "tool": "congthu-imap-large", "v": 1, "label": a.label,
               "scenario": "imap-large", "step": step, "seconds": round(seconds, 4), "bytes": nbytes, **extra}
        line = json.dumps(rec)
        if out:
            out.write(line + "\n")
            out.flush()
        print(f"[imap-large] {step:22s} {seconds * 1000:10.1f} ms {nbytes:>12,} B "
              + " ".join(f"{k}={v}" for k, v in extra.items()), file=sys.stderr)

    def login():
        c = Imap(a.host, a.port, a.timeout)
        c.ok(f'LOGIN "{a.user}" "{a.password}"')
        return c

    rng = random.Random(a.seed)
    # 1. The client that will come back, with its state.
    c = login()
    c.ok("ENABLE QRESYNC")
    dt, nb, lines, _ = c.ok("SELECT INBOX")
    text = b"".join(lines).decode(errors="replace")
    validity = int(re.search(r"UIDVALIDITY (\d+)", text).group(1))
    modseq = int(re.search(r"HIGHESTMODSEQ (\d+)", text).group(1))
    exists = int(re.search(r"\* (\d+) EXISTS", text).group(1))
    _, _, lines, _ = c.ok("UID SEARCH ALL")
    uids = [int(x) for x in b"".join(lines).split()[2:]]
    c.close()
    emit("qresync_prepare", dt, nb, exists=exists, uids=len(uids))
    if len(uids) < 2 * a.changes:
        sys.exit(f"imap-large: the box has {len(uids)} messages; fill it first (mailbench imap-bigbox)")

    # 2. Another session changes flags of 1,000 messages and expunges 1,000 others.
    picked = rng.sample(uids, 2 * a.changes)
    flag_set, del_set = sorted(picked[: a.changes]), sorted(picked[a.changes:])
    d = login()
    d.ok("SELECT INBOX")
    dt, nb, _, _ = d.ok(f"UID STORE {','.join(map(str, flag_set))} +FLAGS.SILENT (\\Seen \\Answered)")
    emit("changes_flags_1000", dt, nb)
    dt1, nb1, _, _ = d.ok(f"UID STORE {','.join(map(str, del_set))} +FLAGS.SILENT (\\Deleted)")
    dt2, nb2, lines, _ = d.ok(f"UID EXPUNGE {','.join(map(str, del_set))}")
    emit("changes_expunge_1000", dt1 + dt2, nb1 + nb2)
    d.close()

    # 3. The first client resynchronises.
    c = login()
    c.ok("ENABLE QRESYNC")
    dt, nb, lines, _ = c.ok(f"SELECT INBOX (QRESYNC ({validity} {modseq}))")
    fetches = sum(1 for l in lines if b" FETCH " in l)
    vanished = sum(1 for l in lines if l.startswith(b"* VANISHED"))
    emit("qresync_resync", dt, nb, fetch_responses=fetches, vanished_lines=vanished)

    # 4. SORT, THREAD, SEARCH on the same connection.
    # A refusal (e.g. NO [LIMIT] past a server's time budget) is recorded with its status, not fatal.
    def status(tagged):
        return tagged.split(" ", 2)[1]

    for step, command in [
        ("sort_date", "UID SORT (DATE) UTF-8 ALL"),
        ("sort_subject", "UID SORT (SUBJECT) UTF-8 ALL"),
        ("thread_references", "UID THREAD REFERENCES UTF-8 ALL"),
    ]:
        for rep in ("first", "repeat"):
            dt, nb, _, tagged = c.cmd(command)
            emit(f"{step}_{rep}", dt, nb, ok=int(status(tagged) == "OK"), status=status(tagged))
    for step, word in [("search_text_vi", "Hiền Lương"), ("search_text_vi_ascii", "Hien Luong")]:
        for rep in ("first", "repeat"):
            dt, nb, lines, tagged = c.cmd("UID SEARCH CHARSET UTF-8 TEXT", literal=word)
            hits = len(b"".join(lines).split()) - 2
            emit(f"{step}_{rep}", dt, nb, hits=max(hits, 0), ok=int(status(tagged) == "OK"), status=status(tagged))
    c.close()


if __name__ == "__main__":
    main()
