#!/usr/bin/env python3
"""Renders the operator's data files from deploy/demo/identities.json (stdlib only).

Called by deploy/stack.sh; every output lands under the state directory:
  users         Dovecot passwd-file userdb (no passwords: authentication is OAUTHBEARER)
  vmailbox      Postfix virtual_mailbox_maps source (which addresses exist)
  sender-login  Postfix smtpd_sender_login_maps source (who may use which MAIL FROM)
  trust-space   Postfix check_recipient_access source (the MSSante whitelist)
  stack.json    the contract read by tests and tools
  operator.json the web host's settings overlay (MSSANTE_SETTINGS_DIR)
"""

import argparse
import glob
import json
import os
import re
import sys

DOMAIN_RE = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")
NOM_RE = re.compile(r"<(?:\w+:)?Nom>\s*([^<]+?)\s*</(?:\w+:)?Nom>")


def load_identities(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def whitelist_domains(xml_path):
    """Reads the published whitelist leniently.

    The published copy may end without its closing root tag, so a strict XML parser would
    refuse it; the <Nom> elements are read one by one instead. A file that yields no domain
    is an error, never an empty trust space.
    """
    with open(xml_path, encoding="utf-8") as f:
        text = f.read()
    domains = set()
    for match in NOM_RE.finditer(text):
        name = match.group(1).strip().lower().rstrip(".")
        if DOMAIN_RE.match(name):
            domains.add(name)
    if not domains:
        raise SystemExit(f"render.py: no domain found in whitelist {xml_path}")
    return domains


def find_whitelist(repo_root):
    candidates = sorted(glob.glob(os.path.join(repo_root, "..", "shared", "data", "listeblanchemssante-*.xml")))
    return os.path.realpath(candidates[-1]) if candidates else None


def write(path, content, mode=0o644):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(content)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def render_dovecot_users(ident, args):
    lines = []
    for user in ident["users"]:
        address = user["address"]
        local, domain = address.split("@", 1)
        home = os.path.join(args.mail_root, domain, local)
        # passwd-file: user:password:uid:gid:gecos:home:shell:extra. The password is empty on
        # purpose: the only passdb is oauth2. uid/gid are required by the shared namespace.
        lines.append(f"{address}::{args.uid}:{args.gid}::{home}::")
    write(os.path.join(args.out, "dovecot", "users"), "\n".join(lines) + "\n")


def render_postfix_maps(ident, args):
    users = ident["users"]
    vmailbox = [f"{u['address']} {u['address'].split('@', 1)[1]}/{u['address'].split('@', 1)[0]}/" for u in users]
    write(os.path.join(args.postfix_etc, "vmailbox"), "\n".join(vmailbox) + "\n")

    # Sender login map: the key is the MAIL FROM address, the value lists the SASL logins
    # (token email claims) allowed to use it. Personal boxes only: service (ORG) boxes are
    # answered from their IMAP ACL by deploy/lib/sender_acl.py, so delegations granted or
    # revoked in the webmail count at once; APP boxes are sendable by nobody through submission.
    owners = [f"{u['address']} {u['address']}" for u in users if u["type"] == "PER"]
    write(os.path.join(args.postfix_etc, "sender-login"), "\n".join(owners) + "\n")

    domains = set(ident["domains"])
    source = None
    if args.whitelist:
        domains |= whitelist_domains(args.whitelist)
        source = args.whitelist
    trust = [f"{d} OK" for d in sorted(domains)]
    write(os.path.join(args.postfix_etc, "trust-space"), "\n".join(trust) + "\n")
    return len(domains), source


def render_stack_json(ident, args, trust_count, trust_source):
    state = args.state
    users = []
    for u in ident["users"]:
        entry = {k: v for k, v in u.items() if k != "comment"}
        entry.setdefault("delegates", [])
        users.append(entry)
    with open(os.path.join(state, "postgres", "password"), encoding="ascii") as f:
        pg_password = f.read().strip()
    stack = {
        "host": "127.0.0.1",
        "ports": {
            "imap": 10143,
            "imaps": 10993,
            "smtp": 10025,
            "submission": 10587,
            "submissions": 10465,
            "managesieve": 14190,
            "postgres": 15432,
        },
        "paths": {
            "stateDirectory": state,
            "caCertificate": os.path.join(state, "pki", "ca.crt"),
            "serverCertificate": os.path.join(state, "pki", "server.crt"),
            "tokenSigningKey": os.path.join(state, "keys", "token-signing.pem"),
            "tokenPublicKey": os.path.join(state, "keys", "token-public.pem"),
            "dovecotConfig": os.path.join(state, "dovecot", "dovecot.conf"),
            "dovecotLog": os.path.join(state, "log", "dovecot.log"),
            "postfixConfigDir": args.postfix_etc,
            "postfixLog": os.path.join(state, "log", "postfix.log"),
            "postgresSocketDir": os.path.join(state, "run", "postgres"),
            "mailRoot": args.mail_root,
            "softhsmConf": os.path.join(state, "softhsm", "softhsm2.conf"),
            "settingsDirectory": os.path.join(state, "settings"),
        },
        "token": {
            "issuer": args.issuer,
            "audience": args.audience,
            "keyId": args.key_id,
            "algorithm": "RS256",
        },
        "postgres": {
            "connectionString": f"Host=127.0.0.1;Port=15432;Username=mssante;Password={pg_password};Database=mssante",
            "database": "mssante",
            "username": "mssante",
        },
        "trustSpace": {"domainCount": trust_count, "whitelistFile": trust_source},
        "demoDomains": ident["domains"],
        "sharedNamespacePrefix": "shared/",
        "hierarchySeparator": "/",
        "users": users,
    }
    write(os.path.join(state, "stack.json"), json.dumps(stack, ensure_ascii=False, indent=2) + "\n")


def render_operator_settings(args):
    state = args.state
    settings = {
        "Operator": {
            "Imap": {"Host": "127.0.0.1", "Port": 10993, "Security": "Tls"},
            "Smtp": {"Host": "127.0.0.1", "Port": 10465, "Security": "Tls"},
            "ManageSieve": {"Host": "127.0.0.1", "Port": 14190},
            "TrustedCaFiles": [os.path.join(state, "pki", "ca.crt")],
        },
        "OperatorToken": {
            "SigningKeyFile": os.path.join(state, "keys", "token-signing.pem"),
            "Issuer": args.issuer,
            "Audience": args.audience,
            "KeyId": args.key_id,
            "LifetimeSeconds": 300,
        },
        "DataProtection": {
            "CertificateFile": os.path.join(state, "keys", "dataprotection.crt"),
            "KeyFile": os.path.join(state, "keys", "dataprotection.key"),
        },
        "Database": {
            "Provider": "Sqlite",
            "ConnectionString": "Data Source=" + os.path.join(state, "data", "webmail.db"),
        },
    }
    if args.whitelist:
        # The web host imports the same published list Postfix enforces (at start, then on its
        # schedule), so compose accepts and refuses exactly what the operator does.
        settings["Whitelist"] = {"Source": args.whitelist}
    os.makedirs(os.path.join(state, "settings"), exist_ok=True)
    write(os.path.join(state, "settings", "operator.json"), json.dumps(settings, indent=2) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=["maps", "stack-json", "whitelist-count"])
    parser.add_argument("--identities", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--out", help="state directory for Dovecot files (defaults to --state)")
    parser.add_argument("--postfix-etc")
    parser.add_argument("--mail-root")
    parser.add_argument("--uid", type=int)
    parser.add_argument("--gid", type=int)
    parser.add_argument("--issuer")
    parser.add_argument("--audience")
    parser.add_argument("--key-id")
    args = parser.parse_args()
    args.out = args.out or args.state
    args.whitelist = find_whitelist(args.repo)
    ident = load_identities(args.identities)

    if args.what == "maps":
        render_dovecot_users(ident, args)
        count, source = render_postfix_maps(ident, args)
        print(f"trust space: {count} domains" + (f" (demo + {source})" if source else " (demo domains only)"))
    elif args.what == "stack-json":
        count = len(set(ident["domains"]) | (whitelist_domains(args.whitelist) if args.whitelist else set()))
        render_stack_json(ident, args, count, args.whitelist)
        render_operator_settings(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
