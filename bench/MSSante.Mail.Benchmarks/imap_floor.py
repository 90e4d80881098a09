#!/usr/bin/env python3
"""The floor for the IMAP and webmail benchmarks: Python's imaplib on an already open,
authenticated IMAPS connection, driven by the .NET benchmark through stdin/stdout so that both
clients run the same commands, interleaved, in the same run.

Environment: HOST, PORT, CA (PEM of the test CA), USER_ADDR, TOKEN (an operator JWT).
Protocol: one JSON object per stdin line, {"steps": [[verb, args...], ...], "parse": bool};
one JSON object per stdout line, {"seconds": wall time of the steps, "cpu": CPU time of the
steps, "bytes": bytes received, "items": count}. Verbs: select MAILBOX | enable EXT | uid COMMAND ARGS... | quit.
imaplib returns raw response lines only; with "parse" a minimal parse also extracts UID and
FLAGS of every FETCH response (regular expressions), which is still far less than building
envelope and body structure objects.
"""
import imaplib
import json
import os
import re
import ssl
import sys
import time

UID_RE = re.compile(rb"UID (\d+)")
FLAGS_RE = re.compile(rb"FLAGS \(([^)]*)\)")


def connect():
    ctx = ssl.create_default_context(cafile=os.environ["CA"])
    ctx.check_hostname = False
    c = imaplib.IMAP4_SSL(os.environ["HOST"], int(os.environ["PORT"]), ssl_context=ctx)
    # RFC 7628 OAUTHBEARER, the same mechanism our client uses.
    c.authenticate("OAUTHBEARER", lambda _: ("n,a=%s,\x01auth=Bearer %s\x01\x01" % (os.environ["USER_ADDR"], os.environ["TOKEN"])).encode())
    return c


def size_of(data):
    n = 0
    for item in data:
        if isinstance(item, tuple):
            n += sum(len(x) for x in item if isinstance(x, bytes))
        elif isinstance(item, bytes):
            n += len(item)
    return n


def minimal_parse(data):
    found = []
    for item in data:
        head = item[0] if isinstance(item, tuple) else item
        if not isinstance(head, bytes):
            continue
        u = UID_RE.search(head)
        f = FLAGS_RE.search(head)
        if u:
            found.append((int(u.group(1)), f.group(1).split() if f else []))
    return len(found)


def run(c, steps, parse):
    received = 0
    items = 0
    start = time.perf_counter()
    cpu = time.process_time()
    for step in steps:
        verb = step[0]
        if verb == "select":
            typ, data = c.select(step[1])
        elif verb == "enable":
            typ, data = c.enable(step[1])
        elif verb == "uid":
            typ, data = c.uid(*step[1:])
        else:
            raise ValueError(verb)
        if typ != "OK":
            raise RuntimeError("%s: %s %r" % (verb, typ, data))
        received += size_of(data)
        if parse and verb == "uid" and step[1].upper() == "FETCH":
            items += minimal_parse(data)
        else:
            items += len(data)
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "cpu": time.process_time() - cpu, "bytes": received, "items": items}


def main():
    c = connect()
    print(json.dumps({"ready": True, "version": sys.version.split()[0]}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("quit"):
            break
        print(json.dumps(run(c, request["steps"], request.get("parse", False))), flush=True)
    c.logout()


if __name__ == "__main__":
    main()
