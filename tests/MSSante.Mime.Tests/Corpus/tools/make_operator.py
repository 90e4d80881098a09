#!/usr/bin/env python3
"""Messages produced by the local operator stack (Postfix 3.7 + Dovecot 2.3 LMTP), when it runs
(deploy/stack.sh start; .state/stack.json exists). Sends two messages through Postfix's inbound
SMTP asking for success DSNs (RFC 3461 NOTIFY=SUCCESS), then copies what Postfix and Dovecot
produced - the delivered messages (with the Received, Return-Path and Delivered-To fields they
add) and Postfix's delivery status notifications - into ../operator/, and removes them from the
demo mailboxes again. Run from this directory as root: python3 make_operator.py"""
import glob
import json
import os
import shutil
import smtplib
import time
from email.message import EmailMessage

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", ".."))
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "operator")
STACK = json.load(open(os.path.join(ROOT, ".state", "stack.json")))
SENDER = "marc.petit@infirmier.mssante.fr"
RECIPIENT = "claire.leroy@pharmacien.mssante.fr"


def maildir(address):
    local, domain = address.split("@")
    return os.path.join(ROOT, ".state", "mail", domain, local, "Maildir")


def new_files(address):
    return set(glob.glob(os.path.join(maildir(address), "new", "*")) + glob.glob(os.path.join(maildir(address), "cur", "*")))


before = {a: new_files(a) for a in (SENDER, RECIPIENT)}
messages = []
m = EmailMessage()
m["From"] = "Marc Petit <%s>" % SENDER
m["To"] = "Claire Leroy <%s>" % RECIPIENT
m["Subject"] = "Transmission infirmière : pansement à refaire"
m["Message-ID"] = "<operator-1@infirmier.mssante.fr>"
m.set_content("Bonjour,\n\nPansement à refaire jeudi. Température 37,8 °C.\n")
messages.append(m)
m = EmailMessage()
m["From"] = "Marc Petit <%s>" % SENDER
m["To"] = RECIPIENT
m["Subject"] = "Photo de plaie"
m["Message-ID"] = "<operator-2@infirmier.mssante.fr>"
m["Disposition-Notification-To"] = SENDER
m.set_content("Photo jointe.\n")
m.add_attachment(bytes.fromhex("89504e470d0a1a0a"), maintype="image", subtype="png", filename="plaie été.png")
messages.append(m)

with smtplib.SMTP(STACK["host"], STACK["ports"]["smtp"], timeout=30) as smtp:
    for msg in messages:
        smtp.send_message(msg, rcpt_options=["NOTIFY=SUCCESS,FAILURE"], mail_options=["RET=HDRS"])

os.makedirs(OUT, exist_ok=True)
deadline = time.time() + 60
while time.time() < deadline:
    got = {a: new_files(a) - before[a] for a in before}
    if len(got[RECIPIENT]) >= 2 and len(got[SENDER]) >= 2:
        break
    time.sleep(1)
for address, kind in ((RECIPIENT, "delivered-by-dovecot-lmtp"), (SENDER, "postfix-dsn-success")):
    for i, path in enumerate(sorted(got[address], key=os.path.getmtime)):
        shutil.copyfile(path, os.path.join(OUT, "%s-%d.eml" % (kind, i + 1)))
        os.remove(path)
print({a: len(v) for a, v in got.items()})
