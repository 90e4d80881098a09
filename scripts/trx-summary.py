#!/usr/bin/env python3
"""Adds up the TRX files of a test run and prints one closing line:
"Tests: N passed, N failed, N skipped". Exits non-zero when a test failed, when a
test project produced no result file, or when nothing ran at all."""
import glob
import os
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"


def main(directory: str) -> int:
    passed = failed = skipped = 0
    files = sorted(glob.glob(os.path.join(directory, "*.trx")))
    for path in files:
        counters = ET.parse(path).getroot().find(f"{NS}ResultSummary/{NS}Counters")
        if counters is None:
            print(f"warning: no counters in {path}", file=sys.stderr)
            failed += 1
            continue
        p = int(counters.get("passed", 0))
        f = int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
        s = int(counters.get("notExecuted", 0))
        print(f"  {os.path.basename(path).split('_')[0]:40} {p:5} passed {f:4} failed {s:4} skipped")
        passed, failed, skipped = passed + p, failed + f, skipped + s
    print(f"Tests: {passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
