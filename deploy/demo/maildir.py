"""Writes messages into Dovecot Maildir++ folders (stdlib only).

Files go to cur/ with an info suffix carrying the flags (Maildir spec, ":2,FLAGS") and an
mtime equal to the message date, which Dovecot uses as the IMAP INTERNALDATE once it
rebuilds its indexes (doveadm force-resync).
"""

import os


class MaildirWriter:
    def __init__(self, mail_root, uid, gid):
        self.mail_root = mail_root
        self.uid = uid
        self.gid = gid
        self.count = 0
        self._seq = 0
        self._created = []

    def home(self, address):
        local, domain = address.split("@", 1)
        return os.path.join(self.mail_root, domain, local)

    def _mkdir(self, path):
        if not os.path.isdir(path):
            os.makedirs(path, exist_ok=True)
            self._created.append(path)

    def folder(self, address, folder="INBOX"):
        root = os.path.join(self.home(address), "Maildir")
        # Maildir++: INBOX is the root, other folders are ".Name" (sub-levels joined by ".").
        path = root if folder == "INBOX" else os.path.join(root, "." + folder.replace("/", "."))
        for sub in ("cur", "new", "tmp"):
            self._mkdir(os.path.join(path, sub))
        return path

    def ensure_user(self, address):
        self._mkdir(self.home(address))
        self.folder(address, "INBOX")

    def add(self, address, raw, timestamp, folder="INBOX", seen=False, flagged=False, answered=False):
        """raw: the full message as bytes with CRLF or LF line ends."""
        path = self.folder(address, folder)
        self._seq += 1
        flags = ("F" if flagged else "") + ("R" if answered else "") + ("S" if seen else "")
        name = f"{int(timestamp)}.M{self._seq}P1.mssante-demo,S={len(raw)}:2,{flags}"
        target = os.path.join(path, "cur", name)
        with open(target, "wb") as f:
            f.write(raw)
        os.utime(target, (timestamp, timestamp))
        self.count += 1
        return target

    def finish(self):
        """Hands every created directory and file to the mail account."""
        for top in {os.path.join(self.mail_root, d) for d in os.listdir(self.mail_root) if not d.startswith(".")}:
            os.chown(top, self.uid, self.gid)
            for dirpath, dirnames, filenames in os.walk(top):
                os.chown(dirpath, self.uid, self.gid)
                os.chmod(dirpath, 0o700)
                for name in filenames:
                    os.chown(os.path.join(dirpath, name), self.uid, self.gid)
