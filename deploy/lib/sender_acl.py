#!/usr/bin/env python3
"""Postfix socketmap (netstring protocol) answering smtpd_sender_login_maps for service mailboxes.

Who may use a service mailbox's address as MAIL FROM is who the mailbox's IMAP ACL gives the
"post" right (Dovecot letter p) at the moment of the lookup: the webmail's delegation page grants
and revokes it with SETACL/DELETEACL, so a revoked delegate is refused by Postfix at once, not
only by the webmail. Personal mailboxes stay in the static hash map that comes first.

    sender_acl.py --socket PATH --mail-root DIR [--pidfile FILE]

A request "senders user@domain" gets "OK login1,login2" when
<mail-root>/<domain>/<local>/Maildir/dovecot-acl grants p to those users, "NOTFOUND " when the
mailbox has no ACL file (not a service mailbox, unknown address, malformed key), "TEMP ..." when
the file cannot be read. Logs go to stderr: addresses and counts only.
"""

import argparse
import os
import re
import signal
import socketserver
import sys

MAP_NAME = "senders"
ADDRESS = re.compile(r"^[a-z0-9][a-z0-9._+-]{0,63}@[a-z0-9][a-z0-9.-]{0,252}$")
MAX_REQUEST = 2048


def log(message):
    print(f"[sender-acl] {message}", file=sys.stderr, flush=True)


def read_netstring(stream):
    """One netstring from the stream, None at a clean end of stream."""
    length = b""
    while True:
        c = stream.read(1)
        if not c:
            if length:
                raise ValueError("stream ended inside a netstring length")
            return None
        if c == b":":
            break
        if not c.isdigit() or len(length) > 5:
            raise ValueError("malformed netstring length")
        length += c
    size = int(length)
    if size > MAX_REQUEST:
        raise ValueError("request too long")
    data = stream.read(size)
    if len(data) != size or stream.read(1) != b",":
        raise ValueError("malformed netstring")
    return data.decode("utf-8", "replace")


def netstring(text):
    data = text.encode("utf-8")
    return str(len(data)).encode("ascii") + b":" + data + b","


def posters(acl_text):
    """Users the ACL lines give the post right, minus negative entries (Dovecot vfile syntax)."""
    granted, denied = set(), set()
    for line in acl_text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 1)
        if len(parts) != 2:
            continue
        identifier, rights = parts
        letters = rights.split(":", 1)[0]
        negative = identifier.startswith("-")
        identifier = identifier.lstrip("-")
        if not identifier.lower().startswith("user=") or "p" not in letters:
            continue
        user = identifier[5:].strip().lower()
        (denied if negative else granted).add(user)
    return sorted(granted - denied)


def lookup(mail_root, key):
    address = key.strip().lower()
    if not ADDRESS.match(address) or ".." in address:
        return "NOTFOUND "
    local, domain = address.split("@", 1)
    acl = os.path.join(mail_root, domain, local, "Maildir", "dovecot-acl")
    try:
        with open(acl, encoding="utf-8") as f:
            allowed = posters(f.read())
    except FileNotFoundError:
        return "NOTFOUND "
    except OSError as e:
        log(f"cannot read the ACL of {address}: {e.strerror}")
        return "TEMP cannot read the mailbox ACL"
    if not allowed:
        # A service mailbox nobody may post for: an owner entry that matches no login.
        return "OK nobody-may-send-for-this-mailbox.invalid"
    return "OK " + ",".join(allowed)


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            try:
                request = read_netstring(self.rfile)
            except ValueError as e:
                log(f"bad request: {e}")
                self.wfile.write(netstring("PERM bad request"))
                return
            if request is None:
                return
            name, _, key = request.partition(" ")
            if name != MAP_NAME:
                answer = "PERM unknown map name"
            else:
                answer = lookup(self.server.mail_root, key)
            self.wfile.write(netstring(answer))
            self.wfile.flush()


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--mail-root", required=True)
    parser.add_argument("--pidfile")
    args = parser.parse_args()
    if os.path.exists(args.socket):
        os.unlink(args.socket)
    server = Server(args.socket, Handler)
    server.mail_root = args.mail_root
    # Postfix's smtpd runs as the postfix user.
    os.chmod(args.socket, 0o666)
    if args.pidfile:
        with open(args.pidfile, "w", encoding="ascii") as f:
            f.write(f"{os.getpid()}\n")

    def stop(*_):
        log("stopping")
        # shutdown() waits for serve_forever, which runs in this thread: close from outside.
        server.socket.close()
        try:
            os.unlink(args.socket)
        except OSError:
            pass
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log(f"listening on {args.socket}")
    server.serve_forever()


if __name__ == "__main__":
    main()
