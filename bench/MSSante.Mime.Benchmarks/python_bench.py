#!/usr/bin/env python3
"""Python's email package (policy=default) on the same inputs as MimeBenchmarks, in the same
run: the same read workload (parse, subject, from, decode every part and its text).
Usage: python_bench.py DATASET=FILE[,FILE...]@... prints JSON {dataset: {mbps, peak_bytes}}."""
import email
import email.policy
import json
import sys
import time
import tracemalloc


def read(data):
    msg = email.message_from_bytes(data, policy=email.policy.default)
    n = len(str(msg["subject"] or ""))
    n += len(msg["from"].addresses) if msg["from"] is not None else 0
    for part in msg.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        n += len(payload)
        if part.get_content_maintype() == "text":
            try:
                n += len(part.get_content())
            except (LookupError, KeyError):
                pass
    return n


def measure(files, min_seconds=2.0):
    blobs = [open(f, "rb").read() for f in files]
    size = sum(len(b) for b in blobs)
    for b in blobs:  # warm-up
        read(b)
    rounds = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    while True:
        for b in blobs:
            read(b)
        rounds += 1
        cpu = time.process_time() - cpu_start
        if cpu >= min_seconds and rounds >= 2:
            break
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    for b in blobs:
        read(b)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"mbps": size * rounds / elapsed / 1e6, "cpu_mbps": size * rounds / cpu / 1e6,
            "seconds_per_round": elapsed / rounds, "bytes": size, "peak_bytes": peak}


def main():
    result = {}
    for arg in sys.argv[1:]:
        name, files = arg.split("=", 1)
        result[name] = measure(files.split("@"))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
