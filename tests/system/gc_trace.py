#!/usr/bin/env python3
"""Checks from an strace log that every acknowledged write was on disk first.

  gc_trace.py check STRACE_LOG
      STRACE_LOG comes from
        strace -f -qq -ttt -T -y -s 48 -e trace=pwrite64,fdatasync,fsync,sendmsg,sendto,write,writev
      of a `fengqiao serve` on SQLite. For every answer "HTTP/1.1 201" a
      thread sent, the last write to the WAL file ("…-wal") that thread made
      before it (the commit of the request, or of its session touch after it)
      must be followed by a successful fdatasync or fsync of the WAL file that
      began after that write ended and ended before the answer was sent. Prints
      counts as "acks=N wal_flushes=N unflushed=N" and the first problems;
      exit status 1 when an answer came before its flush.

  gc_trace.py selftest
      Runs the check on made-up logs: one right, one where the answer comes
      before the flush (must fail).
"""
import bisect
import re
import sys

LINE = re.compile(r"^(\d+)\s+(\d+\.\d+)\s+(.*)$")
NAME = re.compile(r"^(\w+)\(")
RESUMED = re.compile(r"^<\.\.\. (\w+) resumed>")
DURATION = re.compile(r"<(\d+\.\d+)>\s*$")
RESULT = re.compile(r"\)\s+=\s+(-?\d+)")


def calls(lines):
    """(pid, name, start, end, ok, text) per completed system call."""
    pending = {}
    for line in lines:
        m = LINE.match(line.rstrip("\n"))
        if not m:
            continue
        pid, t, rest = int(m.group(1)), float(m.group(2)), m.group(3)
        r = RESUMED.match(rest)
        if r:
            name = r.group(1)
            if (pid, name) not in pending:
                continue
            start, head = pending.pop((pid, name))
            text = head + rest
        else:
            n = NAME.match(rest)
            if not n:
                continue
            name = n.group(1)
            if rest.endswith("<unfinished ...>"):
                pending[(pid, name)] = (t, rest)
                continue
            start, text = t, rest
        d = DURATION.search(text)
        res = RESULT.search(text)
        if not d or not res:
            continue
        yield pid, name, start, start + float(d.group(1)), int(res.group(1)) >= 0, text


FD_PATH = re.compile(r"^\w+\(\d+<([^>]*)>")


def on_wal(text):
    """Whether the call's first argument is a descriptor of a WAL file."""
    m = FD_PATH.match(text)
    return bool(m) and m.group(1).endswith("-wal")


def check(lines):
    writes = {}  # pid -> ends of its WAL writes, in order
    flushes = []  # (start, end) of successful WAL flushes
    acks = []  # (pid, start)
    for pid, name, start, end, ok, text in calls(lines):
        if name == "pwrite64" and on_wal(text) and ok:
            writes.setdefault(pid, []).append(end)
        elif name in ("fdatasync", "fsync") and on_wal(text) and ok:
            flushes.append((start, end))
        elif name in ("sendmsg", "sendto", "write", "writev") and "HTTP/1.1 201" in text:
            acks.append((pid, start))
    flushes.sort()
    starts = [f[0] for f in flushes]
    # Among the flushes that start at or after t, the earliest end.
    min_end_from = [0.0] * (len(flushes) + 1)
    min_end_from[len(flushes)] = float("inf")
    for i in range(len(flushes) - 1, -1, -1):
        min_end_from[i] = min(flushes[i][1], min_end_from[i + 1])
    problems = []
    for pid, sent in acks:
        ends = writes.get(pid, [])
        k = bisect.bisect_right(ends, sent) - 1
        if k < 0:
            problems.append("pid %d: a 201 at %.6f without a WAL write before it" % (pid, sent))
            continue
        written = ends[k]
        i = bisect.bisect_left(starts, written)
        if min_end_from[i] > sent:
            problems.append("pid %d: a 201 at %.6f, its WAL write ended at %.6f, no flush "
                            "between" % (pid, sent, written))
    return len(acks), len(flushes), problems


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "check":
        with open(sys.argv[2], encoding="utf-8", errors="replace") as f:
            acks, flushes, problems = check(f)
        print("acks=%d wal_flushes=%d unflushed=%d" % (acks, flushes, len(problems)))
        for p in problems[:10]:
            print("  " + p)
        return 1 if problems or not acks else 0
    if len(sys.argv) == 2 and sys.argv[1] == "selftest":
        good = [
            '7 100.000100 pwrite64(5</d/x.db-wal>, "a", 4096, 32) = 4096 <0.000010>',
            '8 100.000120 pwrite64(5</d/x.db-wal>, "a", 4096, 4128) = 4096 <0.000010>',
            '7 100.000200 fdatasync(6</d/x.db-wal> <unfinished ...>',
            '8 100.000300 futex(0x1, FUTEX_WAIT, 0) = 0 <0.000001>',
            '7 100.001200 <... fdatasync resumed>) = 0 <0.001000>',
            '7 100.001300 sendmsg(9<socket:[1]>, {msg_iov=[{iov_base="HTTP/1.1 201 Created"}]}) = 611 <0.000020>',
            '8 100.001310 sendmsg(10<socket:[2]>, {msg_iov=[{iov_base="HTTP/1.1 201 Created"}]}) = 611 <0.000020>',
        ]
        bad = good[:2] + [
            '8 100.000150 sendmsg(10<socket:[2]>, {msg_iov=[{iov_base="HTTP/1.1 201 Created"}]}) = 611 <0.000020>',
        ] + good[2:6]
        failed_flush = [l.replace(") = 0 <0.001000>", ") = -1 EIO (Input/output error) <0.001000>")
                        for l in good]
        r_good, r_bad, r_failed = check(good), check(bad), check(failed_flush)
        ok = (r_good[0] == 2 and r_good[1] == 1 and not r_good[2] and len(r_bad[2]) == 1
              and len(r_failed[2]) == 2)
        print("selftest %s: good %s, bad %s, failed flush %s" % (
            "ok" if ok else "FAILED", r_good, r_bad, r_failed))
        return 0 if ok else 1
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
