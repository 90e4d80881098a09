"""The performance mailbox: 10,000+ varied messages written straight into Maildir.

Raw bytes are assembled from templates (the email package would take several times longer):
plain text in UTF-8 (8bit or quoted-printable), some with a small PDF, some replies with
In-Reply-To/References, flags and dates spread over two years. Seeded random: deterministic.
"""

import base64
import email.utils
import quopri
import random
from datetime import timedelta
from email.header import Header

from documents import make_pdf
from messages import ANCHOR

SENDERS = [
    ("Dr Alice ROUSSEL", "alice.roussel@medecin.mssante.fr"),
    ("Dr Bruno FAURE", "bruno.faure@medecin.mssante.fr"),
    ("Cécile GARNIER", "cecile.garnier@pharmacien.mssante.fr"),
    ("Denis MOREL", "denis.morel@infirmier.mssante.fr"),
    ("Secrétariat cardiologie - CH Demo", "cardiologie@ch-demo.mssante.fr"),
    ("Laboratoire de biologie - CH Demo", "labo-bio@ch-demo.mssante.fr"),
    ("Dr Émilie LAMBERT", "emilie.lambert@ch-demo.mssante.fr"),
    ("Service des urgences - CH Demo", "urgences@ch-demo.mssante.fr"),
    ("Dr François GIRARD", "francois.girard@medecin.mssante.fr"),
    ("Hélène CHEVALIER", "helene.chevalier@pharmacien.mssante.fr"),
]
SUBJECTS = [
    "Compte rendu de consultation - {p}",
    "Résultats de biologie - {p}",
    "Lettre de liaison - {p}",
    "Demande d'avis - {p}",
    "Ordonnance à renouveler - {p}",
    "Compte rendu opératoire - {p}",
    "Rendez-vous de suivi - {p}",
    "Bilan préopératoire - {p}",
    "Échographie - {p}",
    "Transmission infirmière - {p}",
]
PATIENT_NAMES = ["PATIENT-TEST C.", "FICTIF G.", "EXEMPLE H.", "ESSAI M.", "DEMO J.", "MODELE A.", "TEST-SIMU R."]
SENTENCES = [
    "Veuillez trouver ci-dessous les éléments du dossier.",
    "L'évolution clinique est favorable.",
    "Un contrôle biologique est à prévoir dans quinze jours.",
    "Le traitement est poursuivi sans modification.",
    "Merci de me tenir informé de l'évolution.",
    "Je reste à votre disposition pour tout complément.",
    "Pas d'anomalie significative à signaler.",
    "La patiente a été informée des résultats.",
    "Prochain rendez-vous dans trois mois.",
    "Données de démonstration fictives.",
]


def _subject_header(text, cache):
    value = cache.get(text)
    if value is None:
        value = text if text.isascii() else Header(text, "utf-8").encode(maxlinelen=76)
        cache[text] = value
    return value


def seed(writer, mailbox, count):
    rnd = random.Random(10_000)
    cache = {}
    pdf = base64.encodebytes(make_pdf("Document joint", ["Pièce jointe de démonstration.", "Données fictives."])).decode("ascii")
    to = f"Dr Test CHARGE <{mailbox}>"
    start = ANCHOR - timedelta(days=730)
    total = count + count // 20
    for i in range(total):
        name, sender = SENDERS[rnd.randrange(len(SENDERS))]
        subject = SUBJECTS[rnd.randrange(len(SUBJECTS))].format(p=PATIENT_NAMES[rnd.randrange(len(PATIENT_NAMES))])
        date = start + timedelta(seconds=int(730 * 86400 * i / total) + rnd.randrange(3600))
        msg_id = f"bulk-{i:06d}"
        headers = [
            f"Message-ID: <{msg_id}@demo.mssante.fr>",
            f"Date: {email.utils.format_datetime(date)}",
            f"From: {_subject_header(name, cache)} <{sender}>",
            f"To: {to}",
        ]
        if i > 0 and i % 7 == 0:
            parent = f"bulk-{i - rnd.randrange(1, min(i, 50) + 1):06d}"
            subject = "Re: " + subject
            headers += [f"In-Reply-To: <{parent}@demo.mssante.fr>", f"References: <{parent}@demo.mssante.fr>"]
        headers += [f"Subject: {_subject_header(subject, cache)}", "MIME-Version: 1.0"]
        text = "Bonjour,\n\n" + " ".join(SENTENCES[rnd.randrange(len(SENTENCES))] for _ in range(2 + rnd.randrange(6)))
        text += f"\n\n{name}\n(message n° {i + 1})\n"
        if i % 3 == 0:
            body_headers = ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"]
            body = quopri.encodestring(text.encode("utf-8")).decode("ascii")
        else:
            body_headers = ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
            body = text
        if i % 25 == 0:
            boundary = f"=_bulk_{i:06d}"
            headers.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
            parts = (f"--{boundary}\n" + "\n".join(body_headers) + "\n\n" + body + "\n"
                     f"--{boundary}\nContent-Type: application/pdf; name=\"document-{i:06d}.pdf\"\n"
                     f"Content-Disposition: attachment; filename=\"document-{i:06d}.pdf\"\n"
                     f"Content-Transfer-Encoding: base64\n\n{pdf}--{boundary}--\n")
            raw = ("\n".join(headers) + "\n\n" + parts).encode("utf-8")
        else:
            raw = ("\n".join(headers + body_headers) + "\n\n" + body).encode("utf-8")
        folder = "INBOX" if i < count else ("Archive" if i % 2 else "Sent")
        roll = rnd.random()
        writer.add(mailbox, raw, date.timestamp(), folder=folder,
                   seen=roll < 0.85 or folder != "INBOX", flagged=roll > 0.97, answered=i % 7 == 0 and roll < 0.5)
