#!/usr/bin/env python3
"""Generates the corpus variants: charsets x transfer encodings x structures. Each message
is written byte by byte (no email package), so the variants do not depend on Python's own
serialiser. Run from this directory: python3 make_variants.py (writes ../generated/*.eml)."""
import base64
import os
import quopri
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "generated")
os.makedirs(OUT, exist_ok=True)

TEXTS = {
    "utf-8": "Compte rendu : hémoglobine élevée, cœur « normal », 15 € — à revoir. Ωμέγα, привет, 検査 🩺",
    "iso-8859-1": "Résultats d'analyses : hémoglobine élevée, à revoir. Ça va très bien, où êtes-vous ?",
    "iso-8859-15": "Œuvre du cœur : 15 € de participation, élève Ÿves.",
    "windows-1252": "Lettre de liaison \u201curgente\u201d \u2014 c\u0153ur, 20 \u20ac\u2026 fin.",
    "macintosh": "Écrit sur un Mac : cœur, « guillemets », déjà vu, 10 €.",
    "iso-8859-2": "Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "windows-1250": "Zażółć gęślą jaźń, łódź.",
    "koi8-r": "Съешь же ещё этих мягких французских булок.",
    "shift_jis": "検査結果のお知らせです。",
}
PYCODEC = {"macintosh": "mac_roman", "windows-1252": "cp1252", "windows-1250": "cp1250", "koi8-r": "koi8_r"}
NAMES = {"utf-8": "Hélène Ωmega", "iso-8859-1": "Céline Dupré", "iso-8859-15": "Œdipe Lœb", "windows-1252": "François Dœuf",
         "macintosh": "Jérôme Lefèvre", "iso-8859-2": "Dvořák Šimon", "windows-1250": "Łukasz Żak", "koi8-r": "Иван Петров",
         "shift_jis": "山田太郎"}
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def enc(charset, text):
    return text.encode(PYCODEC.get(charset, charset))


def ew(charset, text, mode):
    raw = enc(charset, text)
    if mode == "B":
        return "=?%s?B?%s?=" % (charset, base64.b64encode(raw).decode())
    q = "".join(chr(b) if (48 <= b <= 57 or 65 <= b <= 90 or 97 <= b <= 122) else ("_" if b == 32 else "=%02X" % b) for b in raw)
    return "=?%s?Q?%s?=" % (charset, q)


def body(charset, text, cte):
    raw = enc(charset, text + "\n" + text[::-1] + "\n").replace(b"\n", b"\r\n")
    if cte == "base64":
        data = base64.encodebytes(raw).replace(b"\n", b"\r\n")
    elif cte == "quoted-printable":
        data = quopri.encodestring(raw.replace(b"\r\n", b"\n")).replace(b"\n", b"\r\n")
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
    else:
        data = raw
    return data


def text_part(sub, charset, text, cte, extra=b""):
    content = text if sub == "plain" else "<html><body><p>%s</p><p>%s</p></body></html>" % (text, text[::-1])
    return (b"Content-Type: text/%s; charset=\"%s\"\r\nContent-Transfer-Encoding: %s\r\n" % (sub.encode(), charset.encode(), cte.encode())
            + extra + b"\r\n" + body(charset, content, cte))


def b64(data):
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def filename_param(charset, name):
    raw = enc(charset, name)
    pct = "".join(chr(b) if (48 <= b <= 57 or 65 <= b <= 90 or 97 <= b <= 122 or b in b".-_") else "%%%02X" % b for b in raw)
    return ("; filename*=%s''%s" % (charset, pct)).encode()


def headers(charset, mode, subject, ctype):
    return ("From: %s <expediteur@medecin.mssante.fr>\r\n"
            "To: %s <destinataire@ch-demo.mssante.fr>, autre@pharmacien.mssante.fr\r\n"
            "Subject: %s\r\nDate: Wed, 02 Apr 2025 09:%02d:00 +0200\r\nMessage-ID: <%s@generated.example>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: %s\r\n" % (ew(charset, NAMES[charset], mode), ew(charset, NAMES[charset][::-1], "Q"),
                                                           ew(charset, subject, mode), len(subject) % 60, zlib.crc32(subject.encode()) % 100000, ctype)).encode()


def build(structure, charset, cte, mode):
    text = TEXTS[charset]
    subject = "Sujet " + text[:30]
    if structure == "single":
        return headers(charset, mode, subject, 'text/plain; charset="%s"' % charset)[:-2] + b"\r\n" \
            + b"Content-Transfer-Encoding: " + cte.encode() + b"\r\n\r\n" + body(charset, text, cte)
    if structure == "alternative":
        return (headers(charset, mode, subject, 'multipart/alternative; boundary="=_alt"') + b"\r\n--=_alt\r\n" + text_part("plain", charset, text, cte)
                + b"--=_alt\r\n" + text_part("html", charset, text, cte) + b"--=_alt--\r\n")
    if structure == "mixed":
        return (headers(charset, mode, subject, 'multipart/mixed; boundary="=_mix"') + b"\r\n--=_mix\r\n" + text_part("plain", charset, text, cte)
                + b"--=_mix\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment"
                + filename_param(charset, NAMES[charset] + " compte rendu.pdf") + b"\r\n\r\n" + b64(PDF) + b"--=_mix--\r\n")
    if structure == "related":
        html = "<html><body><p>%s</p><img src=\"cid:img1@generated\"></body></html>" % text
        return (headers(charset, mode, subject, 'multipart/alternative; boundary="=_a"') + b"\r\n--=_a\r\n" + text_part("plain", charset, text, cte)
                + b"--=_a\r\nContent-Type: multipart/related; boundary=\"=_r\"; type=\"text/html\"\r\n\r\n--=_r\r\n"
                + b"Content-Type: text/html; charset=\"" + charset.encode() + b"\"\r\nContent-Transfer-Encoding: " + cte.encode() + b"\r\n\r\n" + body(charset, html, cte)
                + b"--=_r\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <img1@generated>\r\nContent-Disposition: inline\r\n\r\n"
                + b64(PNG) + b"--=_r--\r\n--=_a--\r\n")
    if structure == "forward":
        inner = build("alternative", charset, cte, mode)
        return (headers(charset, mode, "Tr: " + subject, 'multipart/mixed; boundary="=_fwd"') + b"\r\n--=_fwd\r\n"
                + text_part("plain", charset, "Message transféré ci-joint." if charset != "shift_jis" and charset != "koi8-r" else text, cte)
                + b"--=_fwd\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n" + inner + b"--=_fwd--\r\n")
    raise ValueError(structure)


count = 0
for charset in TEXTS:
    for cte in ("8bit", "base64", "quoted-printable"):
        for structure in ("single", "alternative", "mixed", "related", "forward"):
            mode = "B" if (count % 2) else "Q"
            data = build(structure, charset, cte, mode)
            name = "%s-%s-%s.eml" % (structure, charset, cte)
            with open(os.path.join(OUT, name), "wb") as f:
                f.write(data)
            count += 1
print(count, "variants")
