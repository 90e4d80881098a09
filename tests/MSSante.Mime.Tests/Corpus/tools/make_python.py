#!/usr/bin/env python3
"""Messages produced by real software on this machine: Python's email package (its modern
EmailMessage API with several policies, and the legacy email.mime classes). Run from this
directory: python3 make_python.py (writes ../python/*.eml). Deterministic: dates, ids and
boundaries are fixed."""
import email.policy
import os
from email.headerregistry import Address, Group
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, make_msgid

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python")
os.makedirs(OUT, exist_ok=True)

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082")
SUBJECTS = ["Compte rendu d'hospitalisation", "Résultats biologiques — urgent", "Ordonnance n°42 : amoxicilline",
            "Re: Suivi du patient (BPCO) " + "très " * 20 + "long", "Lettre de liaison – « sortie »", "ASCII only subject",
            "Émoji 🩺 et accents àéèù", "Тест кириллицы", "混合 テスト", "Tr: Convocation IRM le 12/05"]
BODIES = ["Bonjour,\n\nVeuillez trouver ci-joint le compte rendu.\n\nConfraternellement,\nDr Martin\n",
          "Hémoglobine : 13,5 g/dL (N)\nLeucocytes : 11,2 G/L (H)\nPlaquettes : 250 G/L\n",
          "Ligne très longue " + "abcdéfghij " * 40 + "\nfin\n",
          "Plain ASCII body.\nSecond line.\n",
          "Привет, это тест.\n",
          "From the start of a line\n.a dot line\n" + "x" * 1200 + "\n",
          "Texte avec tabulation\tet espaces en fin   \nfin\n"]
NAMES = [("Jeanne Martin", "jeanne.martin", "medecin.mssante.fr"), ("Paul Durand", "paul.durand", "ch-demo.mssante.fr"),
         ("Claire Leroy", "claire.leroy", "pharmacien.mssante.fr"), ("Hélène Faure-Dupré", "helene.faure", "medecin.mssante.fr"),
         ("Dr O'Neil, Sean", "sean.oneil", "ch-demo.mssante.fr"), ("Иван", "ivan", "example.org")]
POLICIES = {"default": email.policy.default, "smtp": email.policy.SMTP, "smtputf8": email.policy.SMTPUTF8}
ATTACH = [("compte rendu.pdf", "application", "pdf", b"%PDF-1.4\n%\xe2\xe3\n%%EOF\n"),
          ("résultats_été.pdf", "application", "pdf", b"%PDF-1.4 resultats\n"),
          ("IHE_XDM.ZIP", "application", "zip", b"PK\x05\x06" + b"\x00" * 18),
          ("un nom de fichier vraiment très long pour forcer les continuations RFC 2231 dans l'en-tête.txt", "text", "plain", "contenu é\n".encode()),
          ("données.csv", "text", "csv", "nom;valeur\nglycémie;1,2\n".encode()),
          ("image.png", "image", "png", PNG)]


def addr(i):
    n, u, d = NAMES[i % len(NAMES)]
    return Address(n, u, d)


def modern(i):
    policy = list(POLICIES.values())[i % 3]
    msg = EmailMessage(policy=policy)
    msg["From"] = addr(i)
    if i % 7 == 3:
        msg["To"] = Group("Service de pneumologie", [addr(i + 1), addr(i + 2)])
    else:
        msg["To"] = [addr(i + 1), addr(i + 2)] if i % 2 else addr(i + 1)
    if i % 3 == 1:
        msg["Cc"] = addr(i + 3)
    if i % 5 == 2:
        msg["Reply-To"] = addr(i + 4)
    msg["Subject"] = SUBJECTS[i % len(SUBJECTS)]
    msg["Date"] = "Thu, 03 Apr 2025 %02d:%02d:00 +0200" % (8 + i % 10, i % 60)
    msg["Message-ID"] = "<py%03d@python.example>" % i
    if i % 4 == 1:
        msg["In-Reply-To"] = "<orig%03d@python.example>" % i
        msg["References"] = "<root@python.example> <orig%03d@python.example>" % i
    body = BODIES[i % len(BODIES)]
    cte = [None, "quoted-printable", "base64", "8bit"][i % 4]
    kwargs = {"cte": cte} if cte else {}
    if cte == "8bit" and policy is not email.policy.SMTPUTF8:
        kwargs = {}
    msg.set_content(body, **kwargs)
    shape = i % 6
    if shape in (1, 3, 5):
        msg.add_alternative("<html><body><p>%s</p></body></html>" % body.replace("\n", "<br>"), subtype="html")
    if shape == 3:
        html = msg.get_payload()[1]
        html.add_related(PNG, "image", "png", cid="<logo%03d@python.example>" % i)
    if shape in (2, 3, 4):
        for k in range(1 + i % 2):
            fn, mt, st, data = ATTACH[(i + k) % len(ATTACH)]
            if mt == "text":
                msg.add_attachment(data.decode(), subtype=st, filename=fn)
            else:
                msg.add_attachment(data, maintype=mt, subtype=st, filename=fn)
    if shape == 5:
        inner = EmailMessage()
        inner["From"] = addr(i + 5)
        inner["Subject"] = "Message d'origine é"
        inner.set_content("Texte d'origine.\n")
        msg.add_attachment(inner)
    for part in msg.walk():
        if part.is_multipart():
            part.set_boundary("===============py%03d%s==" % (i, part.get_content_subtype()))
    return msg.as_bytes(policy=policy)


def legacy(i):
    charset = ["utf-8", "iso-8859-1", "us-ascii", "iso-8859-15"][i % 4]
    body = BODIES[i % len(BODIES)]
    if charset == "us-ascii":
        body = "Plain ascii body number %d\n" % i
    elif charset != "utf-8":
        body = "Résultat numéro %d, à lire.\n" % i
    if i % 3 == 0:
        msg = MIMEText(body, "plain", charset)
    else:
        msg = MIMEMultipart("mixed" if i % 3 == 1 else "alternative")
        msg.preamble = "This is a multi-part message in MIME format."
        msg.attach(MIMEText(body, "plain", charset))
        if i % 3 == 1:
            att = MIMEApplication(b"%PDF-1.4 legacy\n", "pdf")
            att.add_header("Content-Disposition", "attachment", filename=("utf-8", "fr", "radiographie pulmonaire é.pdf") if i % 2 else "radio.pdf")
            msg.attach(att)
            img = MIMEImage(PNG, "png")
            img.add_header("Content-ID", "<img%03d@legacy.example>" % i)
            msg.attach(img)
        else:
            msg.attach(MIMEText("<p>%s</p>" % body, "html", charset))
        msg.set_boundary("legacy-%03d" % i)
    msg["From"] = formataddr(("Secrétariat de pneumologie", "pneumologie@ch-demo.mssante.fr"))
    msg["To"] = formataddr(("Dr Jeanne Martin", "jeanne.martin@medecin.mssante.fr"))
    msg["Subject"] = email.header.Header(SUBJECTS[i % len(SUBJECTS)], "utf-8").encode() if i % 2 else SUBJECTS[i % len(SUBJECTS)]
    msg["Date"] = "Fri, 04 Apr 2025 10:%02d:00 +0100" % (i % 60)
    msg["Message-ID"] = "<legacy%03d@python.example>" % i
    return msg.as_bytes()


import email.header  # noqa: E402

count = 0
for i in range(72):
    with open(os.path.join(OUT, "modern-%03d.eml" % i), "wb") as f:
        f.write(modern(i))
    count += 1
for i in range(36):
    with open(os.path.join(OUT, "legacy-%03d.eml" % i), "wb") as f:
        f.write(legacy(i))
    count += 1
print(count, "python messages")
