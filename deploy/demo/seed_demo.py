#!/usr/bin/env python3
"""Seeds the demo mailboxes straight into Maildir (stdlib only, deterministic, fictitious).

Run by deploy/stack.sh once (a marker file prevents duplicates), then Dovecot rebuilds its
indexes with `doveadm force-resync`. The same inputs always give the same bytes.
"""

import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from maildir import MaildirWriter  # noqa: E402
from messages import Builder, application, at, mdn  # noqa: E402
from documents import PATIENTS, CDA_CODE, make_hprim, make_pdf, make_xdm  # noqa: E402
import bulk  # noqa: E402

JEANNE = "jeanne.martin@medecin.mssante.fr"
PAUL = "paul.durand@ch-demo.mssante.fr"
CLAIRE = "claire.leroy@pharmacien.mssante.fr"
MARC = "marc.petit@infirmier.mssante.fr"
SOPHIE = "sophie.bernard@ch-demo.mssante.fr"
PNEUMO = "pneumologie@ch-demo.mssante.fr"
LABO = "labo-bio@ch-demo.mssante.fr"
CHARGE = "charge.test@medecin.mssante.fr"


def discharge_letters(b, w, people):
    p = PATIENTS[0]
    letter = (
        "Chère Consœur,\n\n"
        f"Votre patiente Mme {p['prenom']} {p['nom']}, née le {p['naissance']}, a été hospitalisée "
        "dans le service de pneumologie du 10 au 17 novembre pour une exacerbation de BPCO.\n\n"
        "Traitement de sortie : voir le compte rendu joint (PDF).\n"
        "Rendez-vous de suivi en consultation dans 6 semaines, EFR à prévoir.\n\n"
        "Bien confraternellement,\nDr Paul DURAND\nService de pneumologie - CH Demo\n\n"
        "-- Données de démonstration fictives --\n")
    pdf = make_pdf("Compte rendu d'hospitalisation - Pneumologie", [
        f"Patiente : {p['prenom']} {p['nom']} - née le {p['naissance']}",
        "Séjour du 10/11 au 17/11 - Service de pneumologie, CH Demo",
        "Motif : exacerbation de BPCO, stade GOLD 3.",
        "Évolution favorable sous corticothérapie et antibiothérapie.",
        "Traitement de sortie : bronchodilatateurs de longue durée d'action.",
        "Suivi : consultation à 6 semaines, épreuves fonctionnelles respiratoires.",
        "Document de démonstration - données fictives.",
    ])
    raw = b.message(sender=PAUL, to=[JEANNE], subject=f"Compte rendu d'hospitalisation - {p['nom']} {p['prenom']}",
                    date=at(3, 11, 42), msg_id="demo-cr-hospit-001", body=letter,
                    parts=[application(pdf, "pdf", "CR_hospitalisation_PATIENT-TEST.pdf")])
    w.add(JEANNE, raw, at(3, 11, 42).timestamp())
    w.add(PAUL, raw, at(3, 11, 42).timestamp(), folder="Sent", seen=True)

    # Lettre de liaison as an IHE_XDM.ZIP with a CDA R2 document, a PDF rendering and an MDN request.
    p2 = PATIENTS[1]
    author = people[PAUL]
    xdm = make_xdm(p2, author, "LDL-2026-0042", "20261118143000+0100", "Lettre de liaison de sortie",
                   [f"Patient {p2['prenom']} {p2['nom']} hospitalisé pour pneumopathie communautaire.",
                    "Sortie le 18/11 à domicile. Antibiothérapie orale à poursuivre 5 jours.",
                    "Radiographie de contrôle à 6 semaines."])
    pdf2 = make_pdf("Lettre de liaison de sortie", [
        f"Patient : {p2['prenom']} {p2['nom']} - né le {p2['naissance']}",
        "Pneumopathie communautaire, sortie le 18/11.",
        "Antibiothérapie orale à poursuivre 5 jours.",
        "Document de démonstration - données fictives.",
    ])
    raw = b.message(
        sender=PNEUMO, to=[JEANNE], subject=f"Lettre de liaison - {p2['nom']} {p2['prenom']}", date=at(2, 14, 30),
        msg_id="demo-ldl-xdm-002",
        body="Bonjour,\n\nVeuillez trouver ci-joint la lettre de liaison de sortie (document CDA dans l'archive "
             "IHE_XDM.ZIP, version PDF jointe).\n\nLe secrétariat de pneumologie\n\n-- Données fictives --\n",
        parts=[application(xdm, "zip", "IHE_XDM.ZIP"), application(pdf2, "pdf", "Lettre_de_liaison.pdf")],
        headers={"X-MSS-CODECDA": CDA_CODE, "X-MSS-INS": "1", "X-MSS-NIL": "DPI-Demo 4.2",
                 "Disposition-Notification-To": b.person(PNEUMO)})
    w.add(JEANNE, raw, at(2, 14, 30).timestamp())
    w.add(PNEUMO, raw, at(2, 14, 30).timestamp(), folder="Sent", seen=True)

    # The practice software of Dr Martin acknowledged it (RFC 8098).
    ack = mdn(b, reporter=JEANNE, original_sender=PNEUMO, original_msg_id="demo-ldl-xdm-002",
              original_subject=f"Lettre de liaison - {p2['nom']} {p2['prenom']}", date=at(2, 14, 35),
              msg_id="demo-mdn-003")
    w.add(PNEUMO, ack, at(2, 14, 35).timestamp())


def lab_results(b, w):
    p = PATIENTS[2]
    hpr = make_hprim(p, "19/11/2026", "LB2611190042")
    for mailbox, seen in ((JEANNE, False), (PNEUMO, True)):
        raw = b.message(
            sender=LABO, to=[mailbox], subject=f"Résultats de biologie - {p['nom']} {p['prenom']} - 19/11/2026",
            date=at(1, 7, 5), msg_id=f"demo-hprim-004-{mailbox.split('@')[0]}",
            body="Résultats de biologie au format HPRIM Net (fichier .hpr joint).\n"
                 "ATTENTION : résultat critique (potassium).\n\nLaboratoire de biologie - CH Demo\n",
            parts=[b.attachment(hpr, "text", "plain", "LB2611190042.hpr")])
        w.add(mailbox, raw, at(1, 7, 5).timestamp(), seen=seen, flagged=not seen)
    w.add(LABO, raw, at(1, 7, 5).timestamp(), folder="Sent", seen=True)


def reply_thread(b, w):
    subject = "Renouvellement d'ordonnance - Mme PATIENT-TEST"
    first = b.message(sender=CLAIRE, to=[JEANNE], subject=subject, date=at(6, 10, 15), msg_id="demo-thread-010",
                      body="Bonjour Docteur,\n\nMme PATIENT-TEST se présente pour un renouvellement. "
                           "Le dosage du bisoprolol a-t-il changé depuis l'hospitalisation ?\n\n"
                           "Claire LEROY, pharmacienne\n")
    second = b.message(sender=JEANNE, to=[CLAIRE], subject="Re: " + subject, date=at(6, 12, 2), msg_id="demo-thread-011",
                       in_reply_to="demo-thread-010", references=["demo-thread-010"],
                       body="Bonjour,\n\nOui : 2,5 mg le matin désormais. Je vous adresse la nouvelle ordonnance.\n\n"
                            "Dr Jeanne MARTIN\n\n> Le dosage du bisoprolol a-t-il changé depuis l'hospitalisation ?\n")
    third = b.message(sender=CLAIRE, to=[JEANNE], subject="Re: " + subject, date=at(6, 15, 40), msg_id="demo-thread-012",
                      in_reply_to="demo-thread-011", references=["demo-thread-010", "demo-thread-011"],
                      body="Merci Docteur, c'est noté. Bonne journée.\n\nClaire LEROY\n\n> Oui : 2,5 mg le matin désormais.\n")
    w.add(JEANNE, first, at(6, 10, 15).timestamp(), seen=True, answered=True)
    w.add(JEANNE, second, at(6, 12, 2).timestamp(), folder="Sent", seen=True)
    w.add(JEANNE, third, at(6, 15, 40).timestamp(), seen=True)
    w.add(CLAIRE, first, at(6, 10, 15).timestamp(), folder="Sent", seen=True)
    w.add(CLAIRE, second, at(6, 12, 2).timestamp(), seen=True, answered=True)
    w.add(CLAIRE, third, at(6, 15, 40).timestamp(), folder="Sent", seen=True)


def charsets(b, w):
    # ISO-8859-1: subject RFC 2047 Q-encoded in latin-1, attachment name RFC 2231 in latin-1.
    note = make_pdf("Transmissions infirmières", ["Pansement réalisé, plaie propre.", "Données fictives."])
    raw = b.message(sender=MARC, to=[JEANNE], subject="Compte-rendu de soins à domicile - été 2026",
                    date=at(5, 18, 20), msg_id="demo-latin1-020", charset="iso-8859-1",
                    body="Bonjour Docteur,\n\nSoins réalisés chez M. FICTIF : pansement, évaluation de la douleur (2/10).\n"
                         "Prochain passage prévu jeudi. Très cordialement,\n\nMarc PETIT, infirmier\n",
                    parts=[b.attachment(note, "application", "pdf", "Transmissions_infirmières_été.pdf", charset="iso-8859-1")])
    w.add(JEANNE, raw, at(5, 18, 20).timestamp(), seen=True)

    # windows-1252: typographic apostrophe, euro sign and œ, the "written on a Mac/PC" classic.
    raw = b.message(sender=JEANNE, to=[MARC], subject="Cœur et tension : qu’en pensez-vous ?",
                    date=at(4, 8, 55), msg_id="demo-cp1252-021", charset="windows-1252",
                    body="Bonjour Marc,\n\nPour M. FICTIF, pourriez-vous relever la tension matin et soir "
                         "(objectif < 140/90) ? Le forfait est de 12,50 € par passage.\n"
                         "L’œdème des chevilles est-il toujours présent ?\n\nDr Jeanne MARTIN\n")
    w.add(MARC, raw, at(4, 8, 55).timestamp())
    w.add(JEANNE, raw, at(4, 8, 55).timestamp(), folder="Sent", seen=True)

    # UTF-8: subject B-encoded by the generator, name both RFC 2231 and RFC 2047.
    echo = make_pdf("Échographie abdominale", ["Foie de taille normale.", "Pas d'épanchement.", "Données fictives."])
    raw = b.message(sender=PAUL, to=[JEANNE], cc=[PNEUMO], subject="Résultats d'échographie – Mme EXEMPLE Hélène",
                    date=at(4, 16, 10), msg_id="demo-utf8-022",
                    body="Bonjour,\n\nCi-joint le compte rendu d'échographie de Mme EXEMPLE (née le 27/08/1972).\n"
                         "Aucune anomalie significative. « À revoir dans un an. »\n\nPaul DURAND\n",
                    parts=[b.attachment(echo, "application", "pdf", "Résultats_échographie_Hélène.pdf", rfc2047_name=True)])
    w.add(JEANNE, raw, at(4, 16, 10).timestamp())
    w.add(PNEUMO, raw, at(4, 16, 10).timestamp())


def newsletter(b, w):
    html = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Lettre d'information</title></head>
<body style="font-family:Arial,sans-serif">
<img src="https://images.example.com/newsletter/banniere-sante.png" width="600" height="120" alt="Bannière">
<h1>La lettre d'information de l'ARS Démo - novembre 2026</h1>
<p>Campagne de vaccination antigrippale : <a href="https://www.example.com/campagne">tout savoir</a>.</p>
<p><img src="https://images.example.com/newsletter/vaccination.jpg" width="300" alt="Vaccination"></p>
<p>Nouveautés de la messagerie sécurisée de santé : intégration des documents en un clic.</p>
<img src="https://tracker.example.com/open.gif?id=demo-0001" width="1" height="1" alt="">
<p style="font-size:small"><a href="https://www.example.com/desinscription">Se désinscrire</a></p>
</body></html>"""
    text = ("La lettre d'information de l'ARS Démo - novembre 2026\n\n"
            "Campagne de vaccination antigrippale : https://www.example.com/campagne\n")
    for mailbox in (JEANNE, CLAIRE, MARC):
        raw = b.message(sender="lettre-info@ars-demo.mssante.fr", to=[mailbox],
                        subject="Lettre d'information - novembre 2026", date=at(7, 6, 0),
                        msg_id=f"demo-newsletter-030-{mailbox.split('@')[0]}", body=text, alternative_html=html,
                        headers={"List-Unsubscribe": "<https://www.example.com/desinscription>"})
        w.add(mailbox, raw, at(7, 6, 0).timestamp())


def big_attachment(b, w):
    # 8 MB of deterministic bytes, the size of a small imaging export.
    data = random.Random(8).randbytes(8 * 1024 * 1024)
    raw = b.message(sender=PAUL, to=[JEANNE], subject="Imagerie - scanner thoracique (8 Mo)", date=at(1, 15, 0),
                    msg_id="demo-big-040",
                    body="Bonjour,\n\nVoici l'export du scanner thoracique (archive de démonstration, 8 Mo).\n\nPaul DURAND\n",
                    parts=[b.attachment(data, "application", "octet-stream", "Scanner_thorax_PATIENT-TEST.zip")])
    w.add(JEANNE, raw, at(1, 15, 0).timestamp())


def service_box(b, w):
    raw = b.message(sender=JEANNE, to=[PNEUMO], subject="Demande de consultation - M. FICTIF Gérard",
                    date=at(1, 9, 30), msg_id="demo-pneumo-050",
                    body="Bonjour,\n\nPourriez-vous proposer un rendez-vous de consultation à M. FICTIF "
                         "(dyspnée d'effort progressive, tabagisme sevré) ?\n\nDr Jeanne MARTIN\n",
                    headers={"Disposition-Notification-To": b.person(JEANNE)})
    w.add(PNEUMO, raw, at(1, 9, 30).timestamp())
    w.add(JEANNE, raw, at(1, 9, 30).timestamp(), folder="Sent", seen=True)
    raw = b.message(sender=SOPHIE, to=[PNEUMO], subject="Planning des consultations de décembre",
                    date=at(8, 17, 0), msg_id="demo-pneumo-051",
                    body="Bonjour à tous,\n\nLe planning de décembre est disponible au secrétariat.\n\nSophie BERNARD\n")
    w.add(PNEUMO, raw, at(8, 17, 0).timestamp(), seen=True)
    raw = b.message(sender=PAUL, to=[SOPHIE], subject="Courriers à envoyer cette semaine",
                    date=at(2, 8, 10), msg_id="demo-sophie-052",
                    body="Sophie,\n\nMerci d'envoyer les lettres de liaison des sorties de vendredi depuis la "
                         "boîte du service.\n\nPaul\n")
    w.add(SOPHIE, raw, at(2, 8, 10).timestamp())
    draft = b.message(sender=JEANNE, to=[PAUL], subject="Avis pneumologique", date=at(0, 8, 30),
                      msg_id="demo-draft-053", body="Cher confrère,\n\nJe souhaiterais votre avis concernant\n")
    w.add(JEANNE, draft, at(0, 8, 30).timestamp(), folder="Drafts", seen=True)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--identities", required=True)
    p.add_argument("--mail-root", required=True)
    p.add_argument("--uid", type=int, required=True)
    p.add_argument("--gid", type=int, required=True)
    p.add_argument("--bulk", type=int, default=10_000, help="messages in the performance mailbox")
    args = p.parse_args()
    with open(args.identities, encoding="utf-8") as f:
        ident = json.load(f)
    people = {u["address"]: u for u in ident["users"]}
    writer = MaildirWriter(args.mail_root, args.uid, args.gid)
    for address in people:
        writer.ensure_user(address)
    b = Builder(ident["users"])
    discharge_letters(b, writer, people)
    lab_results(b, writer)
    reply_thread(b, writer)
    charsets(b, writer)
    newsletter(b, writer)
    big_attachment(b, writer)
    service_box(b, writer)
    demo = writer.count
    bulk.seed(writer, CHARGE, args.bulk)
    writer.finish()
    print(f"{demo} demo messages and {writer.count - demo} messages in {CHARGE} written")


if __name__ == "__main__":
    main()
