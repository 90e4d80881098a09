#!/usr/bin/env python3
"""Benchmark of the demo seeding strategy (stdlib only), run as root against a running stack:

  sudo python3 deploy/demo/bench_seed.py [--count 1000]

Writes `count` bulk messages straight into a throw-away Maildir (what `start` does for the
10,000-message mailbox) and delivers the same number through the running Dovecot's LMTP
socket (the reference: how Postfix delivers), in the same run, and prints both rates and
their ratio. The LMTP copies go to labo-bio@ and are expunged afterwards.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bulk  # noqa: E402
from maildir import MaildirWriter  # noqa: E402

TARGET = "labo-bio@ch-demo.mssante.fr"


class Collector(MaildirWriter):
    """Keeps the generated messages in memory instead of writing them."""

    def __init__(self):
        super().__init__("/nonexistent", 0, 0)
        self.messages = []

    def add(self, address, raw, timestamp, folder="INBOX", seen=False, flagged=False, answered=False):
        self.messages.append(raw)


def lmtp_deliver(socket_path, messages):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(socket_path)
    f = s.makefile("rwb")

    def reply():
        while True:
            line = f.readline()
            if line[3:4] != b"-":
                if not line.startswith((b"2", b"3")):
                    raise RuntimeError(line.decode(errors="replace"))
                return

    reply()
    f.write(b"LHLO bench.local\r\n")
    f.flush()
    reply()
    for i, raw in enumerate(messages):
        body = raw.replace(b"\n", b"\r\n").replace(b"\r\n.", b"\r\n..")
        body = body.replace(b"Message-ID: <bulk-", b"Message-ID: <bench-seed-", 1)
        f.write(b"MAIL FROM:<bench@ch-demo.mssante.fr>\r\nRCPT TO:<" + TARGET.encode() + b">\r\nDATA\r\n")
        f.flush()
        reply()
        reply()
        reply()
        f.write(body + (b"" if body.endswith(b"\r\n") else b"\r\n") + b".\r\n")
        f.flush()
        reply()
    f.write(b"QUIT\r\n")
    f.flush()
    s.close()


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--state", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".state"))
    args = p.parse_args()
    state = os.path.realpath(args.state)
    with open(os.path.join(state, "stack.json"), encoding="utf-8") as f:
        stack = json.load(f)

    collector = Collector()
    bulk.seed(collector, "charge.test@medecin.mssante.fr", args.count)
    messages = collector.messages[: args.count]

    with tempfile.TemporaryDirectory() as tmp:
        writer = MaildirWriter(tmp, 0, 0)
        t0 = time.perf_counter()
        for i, raw in enumerate(messages):
            writer.add("charge.test@medecin.mssante.fr", raw, 1_700_000_000 + i)
        direct = time.perf_counter() - t0

    t0 = time.perf_counter()
    lmtp_deliver(os.path.join(state, "run", "dovecot", "lmtp"), messages)
    lmtp = time.perf_counter() - t0
    subprocess.run(["doveadm", "-c", stack["paths"]["dovecotConfig"], "expunge", "-u", TARGET,
                    "mailbox", "INBOX", "header", "Message-ID", "bench-seed-"], check=True)

    n = len(messages)
    print(f"messages: {n}")
    print(f"direct Maildir write: {direct:.2f} s ({n / direct:,.0f} msg/s)")
    print(f"LMTP delivery (reference): {lmtp:.2f} s ({n / lmtp:,.0f} msg/s)")
    print(f"ratio (LMTP time / direct time): {lmtp / direct:.1f}x")


if __name__ == "__main__":
    main()
