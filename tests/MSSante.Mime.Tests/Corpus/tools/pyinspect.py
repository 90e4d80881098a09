#!/usr/bin/env python3
"""Summarises messages with Python's email package (policy=default) in the shape of
`mssante mime inspect`, for the differential test. Usage: pyinspect.py FILE... ; prints one
JSON object mapping each file to its summary (or to {"error": ...})."""
import email
import email.policy
import json
import sys


def addresses(msg, name):
    out = []
    try:
        h = msg[name]
    except Exception as exc:  # noqa: BLE001 - Python raises on some broken headers
        return {"error": type(exc).__name__}
    if h is None:
        return out
    try:
        for a in h.addresses:
            out.append({"name": a.display_name or None, "address": a.addr_spec})
    except Exception as exc:  # noqa: BLE001
        return {"error": type(exc).__name__}
    return out


def walk_child(part, path, out):
    ctype = part.get_content_type()
    if ctype in ("message/rfc822", "message/global") and part.is_multipart():
        out.append(entry(part, path))
        inner = part.get_payload()[0]
        if inner.is_multipart():
            for i, child in enumerate(inner.get_payload(), 1):
                walk_child(child, f"{path}.{i}", out)
        else:
            out.append(entry(inner, f"{path}.1"))
    elif part.is_multipart():
        out.append(entry(part, path))
        for i, child in enumerate(part.get_payload(), 1):
            walk_child(child, f"{path}.{i}", out)
    else:
        out.append(entry(part, path))


def entry(part, path):
    try:
        filename = part.get_filename()
    except Exception as exc:  # noqa: BLE001
        filename = "error:" + type(exc).__name__
    return {
        "path": path,
        "contentType": part.get_content_type(),
        "filename": filename,
    }


def text_of(part):
    if part is None:
        return None
    try:
        return part.get_content().replace("\r\n", "\n")
    except Exception as exc:  # noqa: BLE001
        return "error:" + type(exc).__name__


def summarise(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    parts = []
    if msg.get_content_maintype() == "message" and msg.is_multipart():
        walk_child(msg, "1", parts)
    elif msg.is_multipart():
        for i, child in enumerate(msg.get_payload(), 1):
            walk_child(child, str(i), parts)
    else:
        parts.append(entry(msg, "1"))
    try:
        subject = msg["subject"]
        subject = None if subject is None else str(subject)
    except Exception as exc:  # noqa: BLE001
        subject = "error:" + type(exc).__name__
    try:
        plain = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
    except Exception as exc:  # noqa: BLE001
        plain = html = None
    return {
        "subject": subject,
        "from": addresses(msg, "from"),
        "to": addresses(msg, "to"),
        "cc": addresses(msg, "cc"),
        "replyTo": addresses(msg, "reply-to"),
        "parts": parts,
        "text": text_of(plain),
        "html": text_of(html),
    }


def main():
    result = {}
    for p in sys.argv[1:]:
        try:
            result[p] = summarise(p)
        except Exception as exc:  # noqa: BLE001
            result[p] = {"error": f"{type(exc).__name__}: {exc}"}
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
