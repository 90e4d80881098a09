#!/usr/bin/env python3
"""Seeds the demo mailboxes straight into Maildir (stdlib only, deterministic)."""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from maildir import MaildirWriter  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--identities", required=True)
    p.add_argument("--mail-root", required=True)
    p.add_argument("--uid", type=int, required=True)
    p.add_argument("--gid", type=int, required=True)
    args = p.parse_args()
    with open(args.identities, encoding="utf-8") as f:
        ident = json.load(f)
    writer = MaildirWriter(args.mail_root, args.uid, args.gid)
    for u in ident["users"]:
        writer.ensure_user(u["address"])
    writer.finish()
    print(f"{writer.count} messages written")


if __name__ == "__main__":
    main()
