#!/usr/bin/env python3
"""Write load and read-back for the system tests (standard library only).

  load.py write --server HOST:PORT [--server …] --token T --out FILE
          [--threads-per-server 4] [--count 300] [--seconds 40] [--prefix P]
          [--kind person|incident]
      Each thread keeps one keep-alive connection to its server and sends
      POST /api/persons (doc_type passport, a unique number per request) until
      it has sent --count requests or --seconds have passed. Every request is
      written to FILE as one JSON line:
        {"number": "P…", "name": "负载P3-17", "server": "…", "status": 201,
         "id": 12, "mask": "P0…89", "t": 1795000000.123}
      status is the HTTP status, or 0 when the connection failed before an
      answer came back (not acknowledged: the write may or may not have been
      committed); t is when the answer (or the failure) came. A summary goes
      to standard output.
      With --kind incident the requests are POST /api/incidents (channel
      phone, category help, a unique narrative per request; the token needs
      incident.write and incident.read, and its user must work in a station),
      and the lines read
        {"kind": "incident", "name": "负载I3-17", "server": "…", "status": 201,
         "id": 12, "number": "FQ-2026-000012", "t": 1795000000.123}
      where name is the narrative sent and number the one acknowledged.

  load.py check --server HOST:PORT [--server …] --token T --in FILE [--unmask N]
      For every acknowledged (201) line of FILE: GET /api/persons/{id} (through
      the servers in turn) must answer the same id, doc_type passport and the
      masked number; the first N are also unmasked and must give the number in
      clear. Prints the problems (at most 20) and a summary line; exit status 1
      when there is any. Lines of incidents are read back with
      GET /api/incidents/{id}, which must answer the acknowledged number and
      the narrative sent.

  load.py compare --in FILE --db FILE
      Compares the requests of FILE with the persons in the database (--db:
      lines "id|name|masked number", e.g. from psql -At). Every acknowledged
      write must be there with its id, name and mask; every person in the
      database must come from a request of FILE; a person whose request was
      answered with an error status (4xx, 5xx) must not be there — only one
      whose answer was lost (status 0) may or may not be. Prints the problems
      and a summary line; exit status 1 when there is any.

  load.py compare --kind incident --in FILE --db FILE
      The same for incidents, --db with lines "id|number|audit|narrative"
      (audit: how many success incident.create entries name the incident).
      Every acknowledged incident must be stored with its id and the number
      it was acknowledged with; every stored incident must have exactly one
      success audit entry and a real number: a number left as the create
      path's placeholder ("pending-…") is a problem; every stored incident
      must come from a request of FILE, and none answered with an error.

  load.py mask NUMBER
      Prints the masked form of a passport number (first 2 and last 2 kept).
"""
import argparse
import http.client
import json
import sys
import threading
import time

TIMEOUT = 15.0  # seconds for one request; a stuck server is a failure, not a hang


def mask(number):
    """Mirror of fq_mask_middle(number, 2, 2) for ASCII numbers."""
    n = len(number)
    if n <= 4:
        return "*" * (n - 1) + number[-1:] if n > 1 else "*" * n
    return number[:2] + "*" * (n - 4) + number[-2:]


def split(server):
    host, _, port = server.rpartition(":")
    return host, int(port)


class Client:
    """One keep-alive connection; reopened after a failure."""

    def __init__(self, server, token):
        self.server = server
        self.host, self.port = split(server)
        self.token = token
        self.conn = None

    def request(self, method, path, body=None):
        """Returns (status, parsed JSON or None); raises OSError or
        http.client.HTTPException when the connection fails."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        headers = {"Authorization": "Bearer " + self.token}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            resp = self.conn.getresponse()
            raw = resp.read()
        except BaseException:
            self.close()
            raise
        if resp.getheader("Connection", "").lower() == "close":
            self.close()
        try:
            doc = json.loads(raw) if raw else None
        except ValueError:
            doc = None
        return resp.status, doc

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def write(args):
    lock = threading.Lock()
    out = open(args.out, "w", encoding="utf-8")
    deadline = time.monotonic() + args.seconds
    stats = {}

    def note(rec):
        with lock:
            out.write(json.dumps(rec) + "\n")
            key = rec["status"] if rec["status"] else "conn_error"
            stats[key] = stats.get(key, 0) + 1

    def worker(server, tno):
        client = Client(server, args.token)
        failures_in_row = 0
        for seq in range(args.count):
            if time.monotonic() >= deadline:
                break
            number = "%s%02dX%05d" % (args.prefix, tno, seq)
            name = "负载%s%d-%d" % (args.prefix, tno, seq)
            if args.kind == "incident":
                rec = {"kind": "incident", "name": name, "server": server, "status": 0,
                       "id": None, "number": None}
                path = "/api/incidents"
                body = {"channel": "phone", "category": "help", "narrative": name}
            else:
                rec = {"number": number, "name": name, "server": server, "status": 0,
                       "id": None, "mask": None}
                path = "/api/persons"
                body = {"name": name, "doc_type": "passport", "id_number": number}
            try:
                status, doc = client.request("POST", path, body)
            except (OSError, http.client.HTTPException) as exc:
                rec["error"] = type(exc).__name__
                rec["t"] = round(time.time(), 3)
                note(rec)
                failures_in_row += 1
                # A server that is gone stays gone: stop after a few refusals.
                if failures_in_row >= args.give_up:
                    break
                time.sleep(0.1)
                continue
            failures_in_row = 0
            rec["status"] = status
            rec["t"] = round(time.time(), 3)
            if status == 201 and isinstance(doc, dict):
                rec["id"] = doc.get("id")
                if args.kind == "incident":
                    rec["number"] = doc.get("number")
                else:
                    rec["mask"] = doc.get("id_number")
            elif isinstance(doc, dict) and isinstance(doc.get("error"), dict):
                rec["error"] = doc["error"].get("code")
                rec["message"] = str(doc["error"].get("message"))[:200]
            note(rec)
        client.close()

    threads = []
    tno = 0
    for server in args.server:
        for _ in range(args.threads_per_server):
            t = threading.Thread(target=worker, args=(server, tno), daemon=True)
            threads.append(t)
            tno += 1
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        # Each request is bounded by TIMEOUT, so this ends shortly after the deadline.
        t.join(args.seconds + TIMEOUT + 5)
    alive = sum(t.is_alive() for t in threads)
    with lock:
        out.close()
        summary = {"seconds": round(time.monotonic() - t0, 1), "threads": len(threads),
                   "stuck_threads": alive, "by_status": {str(k): v for k, v in stats.items()}}
    print(json.dumps(summary))
    return 1 if alive else 0


def check(args):
    recs = []
    with open(args.inp, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec["status"] == 201:
                recs.append(rec)
    clients = [Client(s, args.token) for s in args.server]
    problems = []

    def fetch(client, method, path, label):
        """The answer's document, or None with the problem noted."""
        try:
            status, doc = client.request(method, path)
        except (OSError, http.client.HTTPException) as exc:
            problems.append("%s: %s %s failed: %s" % (label, method, path, exc))
            return None
        if status != 200 or not isinstance(doc, dict):
            problems.append("%s: %s %s answered %s %s" % (label, method, path, status, doc))
            return None
        return doc

    for i, rec in enumerate(recs):
        client = clients[i % len(clients)]
        if rec.get("kind") == "incident":
            doc = fetch(client, "GET", "/api/incidents/%s" % rec["id"], rec["name"])
            if doc is not None and (doc.get("id") != rec["id"] or doc.get("number") != rec["number"]
                                    or doc.get("narrative") != rec["name"] or not rec["number"]
                                    or rec["number"].startswith("pending-")):
                problems.append("%s (id %s): got number %s, narrative %s; acknowledged %s" % (
                    rec["name"], rec["id"], doc.get("number"), doc.get("narrative"),
                    rec["number"]))
            continue
        expect = mask(rec["number"])
        doc = fetch(client, "GET", "/api/persons/%s" % rec["id"], rec["number"])
        if doc is None:
            continue
        if doc.get("id") != rec["id"] or doc.get("doc_type") != "passport" \
                or doc.get("id_number") != expect or rec["mask"] != expect:
            problems.append("%s (id %s): got %s/%s, acknowledged %s, expected %s" % (
                rec["number"], rec["id"], doc.get("doc_type"), doc.get("id_number"),
                rec["mask"], expect))
        if i < args.unmask:
            doc = fetch(client, "POST", "/api/persons/%s/unmask" % rec["id"], rec["number"])
            if doc is not None and doc.get("id_number") != rec["number"]:
                problems.append("%s (id %s): unmask answered %s" % (rec["number"], rec["id"], doc))
    for c in clients:
        c.close()
    for p in problems[:20]:
        print("  " + p)
    what = "incidents" if recs and recs[0].get("kind") == "incident" else "persons"
    print("checked %d acknowledged %s, %d problems" % (len(recs), what, len(problems)))
    return 1 if problems else 0


def compare_incidents(args, by_name):
    db = {}
    problems = []
    with open(args.db, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            iid, number, audits, narrative = line.split("|", 3)
            db[narrative] = (int(iid), number)
            if number.startswith("pending-"):
                problems.append("incident %s (%s) is stored with the placeholder number %s" % (
                    iid, narrative, number))
            if audits != "1":
                problems.append("incident %s (%s, %s) has %s success incident.create entries" % (
                    iid, narrative, number, audits))
    in_doubt_there = in_doubt_absent = 0
    for name, rec in by_name.items():
        row = db.get(name)
        if rec["status"] == 201:
            if row is None:
                problems.append("acknowledged %s (id %s, %s) is missing" % (
                    name, rec["id"], rec["number"]))
            elif row != (rec["id"], rec["number"]):
                problems.append("acknowledged %s (id %s, %s) is stored as id %s, %s" % (
                    name, rec["id"], rec["number"], row[0], row[1]))
        elif rec["status"] == 0 or rec.get("error") == "outcome_unknown":
            if row is None:
                in_doubt_absent += 1
            else:
                in_doubt_there += 1
        elif row is not None:
            problems.append("%s was answered %s %s (\"%s\") but is stored (id %s)" % (
                name, rec["status"], rec.get("error"), rec.get("message"), row[0]))
    for name, row in db.items():
        if name not in by_name:
            problems.append("incident %s (id %s, %s) comes from no request" % (name, row[0], row[1]))
    numbers = [row[1] for row in db.values()]
    if len(set(numbers)) != len(numbers):
        problems.append("%d incidents share a number" % (len(numbers) - len(set(numbers))))
    for p in problems[:20]:
        print("  " + p)
    print("%d requests, %d incidents stored; answer lost: %d stored, %d not; %d problems" % (
        len(by_name), len(db), in_doubt_there, in_doubt_absent, len(problems)))
    return 1 if problems else 0


def compare(args):
    by_name = {}
    with open(args.inp, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            by_name[rec["name"]] = rec
    if args.kind == "incident":
        return compare_incidents(args, by_name)
    db = {}
    with open(args.db, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            pid, name, masked = line.split("|", 2)
            db[name] = (int(pid), masked)
    problems = []
    in_doubt_there = in_doubt_absent = 0
    for name, rec in by_name.items():
        row = db.get(name)
        if rec["status"] == 201:
            if row is None:
                problems.append("acknowledged %s (id %s) is missing" % (rec["number"], rec["id"]))
            elif row != (rec["id"], mask(rec["number"])):
                problems.append("acknowledged %s (id %s, %s) is stored as id %s, %s" % (
                    rec["number"], rec["id"], mask(rec["number"]), row[0], row[1]))
        elif rec["status"] == 0 or rec.get("error") == "outcome_unknown":
            # No answer, or the server's own "may have been saved" (the
            # connection broke during COMMIT): either way is right.
            if row is None:
                in_doubt_absent += 1
            else:
                in_doubt_there += 1
        elif row is not None:
            problems.append("%s was answered %s %s (\"%s\") but is stored (id %s)" % (
                rec["number"], rec["status"], rec.get("error"), rec.get("message"), row[0]))
    for name, row in db.items():
        if name not in by_name:
            problems.append("person %s (id %s) comes from no request" % (name, row[0]))
    for p in problems[:20]:
        print("  " + p)
    print("%d requests, %d persons stored; answer lost: %d stored, %d not; %d problems" % (
        len(by_name), len(db), in_doubt_there, in_doubt_absent, len(problems)))
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("--server", action="append", required=True)
    w.add_argument("--token", required=True)
    w.add_argument("--out", required=True)
    w.add_argument("--threads-per-server", type=int, default=4)
    w.add_argument("--count", type=int, default=300, help="requests per thread at most")
    w.add_argument("--seconds", type=float, default=40, help="time limit")
    w.add_argument("--prefix", default="P")
    w.add_argument("--kind", choices=("person", "incident"), default="person")
    w.add_argument("--give-up", type=int, default=20,
                   help="connection failures in a row after which a thread stops")
    c = sub.add_parser("check")
    c.add_argument("--server", action="append", required=True)
    c.add_argument("--token", required=True)
    c.add_argument("--in", dest="inp", required=True)
    c.add_argument("--unmask", type=int, default=20)
    k = sub.add_parser("compare")
    k.add_argument("--in", dest="inp", required=True)
    k.add_argument("--db", required=True)
    k.add_argument("--kind", choices=("person", "incident"), default="person")
    m = sub.add_parser("mask")
    m.add_argument("number")
    args = ap.parse_args()
    if args.cmd == "write":
        return write(args)
    if args.cmd == "check":
        return check(args)
    if args.cmd == "compare":
        return compare(args)
    print(mask(args.number))
    return 0


if __name__ == "__main__":
    sys.exit(main())
