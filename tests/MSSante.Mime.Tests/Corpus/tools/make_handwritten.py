#!/usr/bin/env python3
"""Writes the handwritten edge cases of the corpus, one file per case, named after what it
tests. The bytes are spelled out here so odd line endings and 8-bit bytes stay exact.
Run from this directory: python3 make_handwritten.py (writes ../handwritten/*.eml)."""
import base64
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "handwritten")
os.makedirs(OUT, exist_ok=True)

H = (b"From: Dr Jeanne Martin <jeanne.martin@medecin.mssante.fr>\r\n"
     b"To: Paul Durand <paul.durand@ch-demo.mssante.fr>\r\n"
     b"Date: Tue, 01 Apr 2025 10:00:00 +0200\r\n"
     b"Message-ID: <case@medecin.mssante.fr>\r\n")

cases = {}


def case(name, data):
    cases[name] = data


def crlf(s):
    return s.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


# --- headers -------------------------------------------------------------------------
case("header-encoded-word-b-utf8", H + b"Subject: =?UTF-8?B?Q29tcHRlIHJlbmR1IGQnaG9zcGl0YWxpc2F0aW9u?= =?UTF-8?B?IDogw6lsw6h2ZQ==?=\r\n\r\nCorps.\r\n")
case("header-encoded-word-q-latin1", H + b"Subject: =?ISO-8859-1?Q?R=E9sultats_d'analyses_=E0_revoir?=\r\n\r\nCorps.\r\n")
case("header-encoded-words-adjacent-joined", H + b"Subject: =?utf-8?q?Bon?= =?utf-8?q?jour?=\r\n   =?utf-8?q?_docteur?=\r\n\r\nCorps.\r\n")
case("header-encoded-word-multibyte-split", H + b"Subject: =?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9_cr=C3=A8me?=\r\n\r\nCorps.\r\n")
case("header-encoded-word-mixed-with-text", H + b"Subject: Re: =?utf-8?B?w6l0w6k=?= suite\r\n\r\nCorps.\r\n")
case("header-encoded-word-unknown-charset", H + b"Subject: =?x-inconnu?Q?caf=E9?=\r\n\r\nCorps.\r\n")
case("header-encoded-word-lowercase-q-underscore", H + b"Subject: =?iso-8859-15?q?=A4uro_et_=BDuvre?=\r\n\r\nCorps.\r\n")
case("header-raw-utf8-rfc6532", H.replace(b"Dr Jeanne Martin", "Dr Jérôme Lefèvre".encode()) + "Subject: Résultat biologique — urgent\r\n\r\nCorps.\r\n".encode())
case("header-raw-latin1-8bit", H + "Subject: Compte rendu opératoire\r\n\r\nCorps.\r\n".encode("latin-1"))
case("header-folded-long-subject", H + b"Subject: Compte rendu de consultation de pneumologie du patient\r\n\tsuivi pour BPCO stade III avec exacerbations\r\n frequentes\r\n\r\nCorps.\r\n")
case("header-missing-subject-and-date", b"From: a@b.example\r\nTo: c@d.example\r\n\r\nSans objet.\r\n")
case("header-no-colon-line-starts-body", b"From: a@b.example\r\nSubject: test\r\nCeci n'est pas un en-tete\r\nTo: c@d.example\r\n\r\nCorps.\r\n")
case("header-mbox-from-line", b"From MAILER-DAEMON Tue Apr  1 10:00:00 2025\r\n" + H + b"Subject: mbox\r\n\r\nCorps.\r\n")
case("header-empty-block", b"\r\nCorps sans en-tetes.\r\n")
case("header-duplicate-subject", H + b"Subject: premier\r\nSubject: second\r\n\r\nCorps.\r\n")
case("header-continuation-before-any-field", b" stray continuation\r\n" + H + b"Subject: x\r\n\r\nCorps.\r\n")

# --- addresses -----------------------------------------------------------------------
case("address-group-and-undisclosed", b"From: a@b.example\r\nTo: Service de pneumologie: paul.durand@ch-demo.mssante.fr, Sophie <sophie.bernard@ch-demo.mssante.fr>;, undisclosed-recipients:;\r\nSubject: groupes\r\n\r\nCorps.\r\n")
case("address-quoted-display-name-with-comma", b"From: \"Martin, Jeanne (Dr)\" <jeanne.martin@medecin.mssante.fr>\r\nTo: \"Durand \\\"Paul\\\"\" <paul.durand@ch-demo.mssante.fr>\r\nSubject: guillemets\r\n\r\nCorps.\r\n")
case("address-encoded-display-name", b"From: =?UTF-8?Q?J=C3=A9r=C3=B4me_Lef=C3=A8vre?= <jerome.lefevre@medecin.mssante.fr>\r\nTo: =?iso-8859-1?q?C=E9line?= =?iso-8859-1?q?_Dupr=E9?= <celine.dupre@pharmacien.mssante.fr>\r\nSubject: noms encodes\r\n\r\nCorps.\r\n")
case("address-comment-and-bare", b"From: jeanne.martin@medecin.mssante.fr (Jeanne Martin)\r\nTo: paul.durand@ch-demo.mssante.fr, claire.leroy@pharmacien.mssante.fr\r\nCc: <marc.petit@infirmier.mssante.fr>\r\nSubject: commentaires\r\n\r\nCorps.\r\n")
case("address-obsolete-route", b"From: Jeanne <@relais.example,@autre.example:jeanne.martin@medecin.mssante.fr>\r\nTo: paul.durand@ch-demo.mssante.fr\r\nSubject: route obsolete\r\n\r\nCorps.\r\n")
case("address-reply-to-and-cc-folded", H + b"Cc: Claire Leroy <claire.leroy@pharmacien.mssante.fr>,\r\n Marc Petit <marc.petit@infirmier.mssante.fr>\r\nReply-To: Secretariat <pneumologie@ch-demo.mssante.fr>\r\nSubject: reply-to\r\n\r\nCorps.\r\n")
case("address-utf8-display-name-raw", "From: Hélène Faure <helene.faure@medecin.mssante.fr>\r\nTo: paul.durand@ch-demo.mssante.fr\r\nSubject: nom brut\r\n\r\nCorps.\r\n".encode())

# --- dates and ids -------------------------------------------------------------------
for name, value in [("rfc5322", b"Tue, 01 Apr 2025 10:00:00 +0200"), ("no-day-name", b"1 Apr 2025 10:00:00 +0200"),
                    ("two-digit-year", b"Tue, 01 Apr 25 10:00 +0200"), ("obsolete-zone-est", b"Tue, 1 Apr 2025 10:00:00 EST"),
                    ("asctime", b"Tue Apr  1 10:00:00 2025"), ("zone-comment", b"Tue, 01 Apr 2025 10:00:00 +0200 (CEST)"),
                    ("garbage", b"hier soir"), ("full-month-name", b"1 April 2025 10:00:00 +0000")]:
    case("date-" + name, b"From: a@b.example\r\nTo: c@d.example\r\nDate: " + value + b"\r\nSubject: date\r\n\r\nCorps.\r\n")
case("ids-in-reply-to-and-references", H + b"Subject: Re: suivi\r\nIn-Reply-To: <orig@ch-demo.mssante.fr>\r\nReferences: <a@x.example>\r\n <b@y.example> <orig@ch-demo.mssante.fr>\r\n\r\nCorps.\r\n")
case("ids-message-id-without-brackets", b"From: a@b.example\r\nMessage-ID: sans.crochets@b.example\r\nSubject: id\r\n\r\nCorps.\r\n")

# --- multipart structure -------------------------------------------------------------
ALT = (b"Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
       b"--alt\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + "Résultat normal.".encode() + b"\r\n"
       b"--alt\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + "<p>Résultat <b>normal</b>.</p>".encode() + b"\r\n"
       b"--alt--\r\n")
case("multipart-alternative", H + b"Subject: alternative\r\nMIME-Version: 1.0\r\n" + ALT)
case("multipart-preamble-epilogue", H + b"Subject: preambule\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\nThis is a multi-part message in MIME format.\r\n--b1\r\nContent-Type: text/plain\r\n\r\nPartie un.\r\n--b1--\r\nEpilogue a ignorer.\r\n")
case("multipart-missing-final-boundary", H + b"Subject: sans fin\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nPartie un.\r\n--b1\r\nContent-Type: text/plain\r\n\r\nPartie deux tronquee\r\n")
case("multipart-boundary-like-lines-in-content", H + b"Subject: faux separateurs\r\nContent-Type: multipart/mixed; boundary=frontiere\r\n\r\n--frontiere\r\nContent-Type: text/plain\r\n\r\nLigne --frontiere au milieu\r\n--frontiere-suite n'est pas un separateur\r\n--frontiereX non plus\r\n--frontiere\r\nContent-Type: text/plain\r\n\r\nDeux.\r\n--frontiere--\r\n")
case("multipart-bare-lf", (H + b"Subject: LF seuls\r\nContent-Type: multipart/alternative; boundary=lf\r\n\r\n--lf\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nLigne un\r\nLigne deux\r\n--lf\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n--lf--\r\n").replace(b"\r\n", b"\n"))
case("multipart-no-boundary-parameter", H + b"Subject: sans boundary\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nPerdu.\r\n--x--\r\n")
case("multipart-boundary-never-found", H + b"Subject: boundary absente\r\nContent-Type: multipart/mixed; boundary=absente\r\n\r\nTexte sans separateur.\r\n")
case("multipart-delimiter-trailing-whitespace", H + b"Subject: espaces\r\nContent-Type: multipart/mixed; boundary=\"b b\"\r\n\r\n--b b  \r\nContent-Type: text/plain\r\n\r\nUn.\r\n--b b--\t \r\n")
case("multipart-empty-part", H + b"Subject: partie vide\r\nContent-Type: multipart/mixed; boundary=e\r\n\r\n--e\r\n\r\n--e\r\nContent-Type: text/plain\r\n\r\nDeux.\r\n--e--\r\n")
case("multipart-part-without-headers", H + b"Subject: sans en-tete\r\nContent-Type: multipart/mixed; boundary=e\r\n\r\n--e\r\n\r\nTexte par defaut us-ascii.\r\n--e--\r\n")
case("multipart-digest-default-rfc822", H + b"Subject: digest\r\nContent-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nFrom: x@y.example\r\nSubject: un\r\n\r\nMessage un.\r\n--d\r\n\r\nFrom: z@y.example\r\nSubject: deux\r\n\r\nMessage deux.\r\n--d--\r\n")
PNG = base64.b64encode(bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000" + "1f15c4890000000d49444154789c6300010000050001" + "0d0a2db40000000049454e44ae426082")).decode()
case("multipart-related-cid", H + b"Subject: image inline\r\nContent-Type: multipart/related; boundary=r; type=\"text/html\"\r\n\r\n--r\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n<p>Radio :<img src=\"cid:radio@ch-demo\"></p>\r\n--r\r\nContent-Type: image/png\r\nContent-ID: <radio@ch-demo>\r\nContent-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\n" + PNG.encode() + b"\r\n--r--\r\n")
case("multipart-related-start-parameter", H + b"Subject: start\r\nContent-Type: multipart/related; boundary=r; start=\"<racine@x>\"\r\n\r\n--r\r\nContent-Type: image/png\r\nContent-ID: <img@x>\r\nContent-Transfer-Encoding: base64\r\n\r\n" + PNG.encode() + b"\r\n--r\r\nContent-Type: text/html\r\nContent-ID: <racine@x>\r\n\r\n<img src=\"cid:img@x\">Racine\r\n--r--\r\n")
case("multipart-signed", H + b"Subject: signe\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=s\r\n\r\n--s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTexte signe.\r\n--s\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=smime.p7s\r\n\r\nMIIBAAo=\r\n--s--\r\n")
nested = H + b"Subject: transfert\r\nContent-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: text/plain\r\n\r\nVoir ci-dessous.\r\n--o\r\nContent-Type: message/rfc822\r\n\r\nFrom: b@c.example\r\nSubject: =?utf-8?q?original_=C3=A9?=\r\nContent-Type: multipart/alternative; boundary=i\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\nOriginal.\r\n--i\r\nContent-Type: text/html\r\n\r\n<p>Original.</p>\r\n--i--\r\n\r\n--o--\r\n"
case("message-rfc822-nested", nested)
case("message-rfc822-single-part-inside", H + b"Subject: transfert simple\r\nContent-Type: message/rfc822\r\n\r\nFrom: b@c.example\r\nSubject: dedans\r\n\r\nTexte dedans.\r\n")
case("message-rfc822-base64-encoded", H + b"Subject: rfc822 encode\r\nContent-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(b"From: b@c.example\r\nSubject: cache\r\n\r\nTexte cache.\r\n").replace(b"\n", b"\r\n") + b"--o--\r\n")
deep = b"Subject: profond\r\n"
inner = b"Content-Type: text/plain\r\n\r\nFond.\r\n"
for i in range(20):
    inner = b"Content-Type: multipart/mixed; boundary=n%d\r\n\r\n--n%d\r\n" % (i, i) + inner + b"\r\n--n%d--\r\n" % i
case("multipart-nested-20-deep", H + deep + inner)

# --- transfer encodings --------------------------------------------------------------
case("cte-base64-bad-padding-and-junk", H + b"Subject: base64 abime\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nUsOpc3Vs dGF0ICE*\r\nIMOgIHZvaXI\r\n")
case("cte-base64-uppercase-name", H + b"Subject: BASE64\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: BASE64\r\n\r\n" + base64.encodebytes("Écho cardiaque.".encode()).replace(b"\n", b"\r\n"))
case("cte-qp-soft-breaks-and-lowercase-hex", H + b"Subject: qp\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nH=e9moglobine =E9lev=E9e, ligne tr=\r\n=E8s longue coup=E9e.   \r\nFin =3D ok, =ZZ invalide, = seul\r\n")
case("cte-qp-overlong-lines", H + b"Subject: qp long\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + b"a" * 300 + b"=C3=A9\r\n")
case("cte-8bit-utf8", H + b"Subject: 8bit\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + "Ordonnance : amoxicilline 1 g, 3 fois par jour — 7 jours.".encode() + b"\r\n")
case("cte-binary-pdf", H + b"Subject: binaire\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nPDF joint.\r\n--b\r\nContent-Type: application/pdf; name=cr.pdf\r\nContent-Transfer-Encoding: binary\r\nContent-Disposition: attachment; filename=cr.pdf\r\n\r\n%PDF-1.4\x00\x01\x02\xff\xfe binaire\r\n--b--\r\n")
case("cte-unknown-x-uuencode", H + b"Subject: inconnu\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nTexte tel quel.\r\n")

# --- charsets ------------------------------------------------------------------------
case("charset-mac-roman", H + b"Subject: Mac\r\nContent-Type: text/plain; charset=macintosh\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + "Écrit sur un Mac : cœur, « guillemets », déjà.".encode("mac_roman") + b"\r\n")
case("charset-windows-1252-declared-latin1", H + b"Subject: cp1252\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + "Guillemets \u201cdroits\u201d, 15 \u20ac, \u0153uvre.".encode("cp1252") + b"\r\n")
case("charset-unknown-name", H + b"Subject: charset inconnu\r\nContent-Type: text/plain; charset=x-charset-inconnu\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + "Texte en UTF-8 malgré tout : é.".encode() + b"\r\n")
case("charset-lying-utf8-is-latin1", H + b"Subject: faux utf-8\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + "Déclaré UTF-8, écrit en Latin-1.".encode("latin-1") + b"\r\n")
case("charset-us-ascii-with-8bit", H + b"Subject: ascii menteur\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + "Prétendu ASCII.".encode() + b"\r\n")
case("charset-quoted-uppercase", H + b"Subject: charset\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\n\r\n" + "Majuscules : É.".encode() + b"\r\n")
case("charset-utf16-base64", H + b"Subject: utf-16\r\nContent-Type: text/plain; charset=utf-16\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes("Texte UTF-16 : é".encode("utf-16")).replace(b"\n", b"\r\n"))
case("charset-koi8r", H + b"Subject: koi8\r\nContent-Type: text/plain; charset=koi8-r\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + "Привет, доктор".encode("koi8_r") + b"\r\n")

# --- filenames -----------------------------------------------------------------------
def attach(name, disp_params, ct_params=b""):
    return (H + b"Subject: piece jointe\r\nContent-Type: multipart/mixed; boundary=pj\r\n\r\n--pj\r\nContent-Type: text/plain\r\n\r\nVoir PJ.\r\n"
            b"--pj\r\nContent-Type: application/pdf" + ct_params + b"\r\nContent-Disposition: attachment" + disp_params + b"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--pj--\r\n")
case("filename-rfc2231-utf8", attach("", b"; filename*=UTF-8''compte%20rendu%20%C3%A9l%C3%A8ve.pdf"))
case("filename-rfc2231-continuations", attach("", b";\r\n filename*0*=utf-8'fr'r%C3%A9sultats%20;\r\n filename*1*=biologie%20;\r\n filename*2=\"du 1er avril.pdf\""))
case("filename-rfc2231-latin1", attach("", b"; filename*=iso-8859-1''ordonnance%E9.pdf"))
case("filename-rfc2047-in-quotes", attach("", b"; filename=\"=?UTF-8?B?w6ljaG9ncmFwaGllLnBkZg==?=\""))
case("filename-from-name-only", attach("", b"", b"; name=\"radio thorax.pdf\""))
case("filename-raw-utf8", attach("", "; filename=\"lettre de liaison é.pdf\"".encode()))
case("filename-both-prefers-rfc2231", attach("", b"; filename=\"ancien.pdf\"; filename*=UTF-8''nouveau%C3%A9.pdf"))

# --- reports -------------------------------------------------------------------------
case("report-mdn-processed", b"From: labo-bio@ch-demo.mssante.fr\r\nTo: jeanne.martin@medecin.mssante.fr\r\nSubject: Accuse de lecture\r\nDate: Tue, 01 Apr 2025 11:00:00 +0200\r\nMessage-ID: <mdn1@ch-demo.mssante.fr>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=disposition-notification; boundary=m\r\n\r\n--m\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nLe message a ete traite.\r\n--m\r\nContent-Type: message/disposition-notification\r\n\r\nReporting-UA: ch-demo.mssante.fr; LPS Demo 1.0\r\nOriginal-Recipient: rfc822;labo-bio@ch-demo.mssante.fr\r\nFinal-Recipient: rfc822;labo-bio@ch-demo.mssante.fr\r\nOriginal-Message-ID: <case@medecin.mssante.fr>\r\nDisposition: automatic-action/MDN-sent-automatically; processed\r\n\r\n--m\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: jeanne.martin@medecin.mssante.fr\r\nSubject: Demande\r\n\r\n--m--\r\n")
case("report-mdn-error", b"From: labo-bio@ch-demo.mssante.fr\r\nTo: jeanne.martin@medecin.mssante.fr\r\nSubject: Echec integration\r\nContent-Type: multipart/report; report-type=disposition-notification; boundary=m\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nEchec.\r\n--m\r\nContent-Type: message/disposition-notification\r\n\r\nReporting-UA: lps.example; LPS\r\nFinal-Recipient: rfc822; labo-bio@ch-demo.mssante.fr\r\nOriginal-Message-ID: <orig2@medecin.mssante.fr>\r\nDisposition: automatic-action/MDN-sent-automatically; processed/error\r\nError: 45^INS non qualifie\r\n\r\n--m--\r\n")
case("report-dsn-failed", b"From: MAILER-DAEMON@mx.ch-demo.mssante.fr (Mail Delivery System)\r\nTo: jeanne.martin@medecin.mssante.fr\r\nSubject: Undelivered Mail Returned to Sender\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"dsn\"\r\n\r\n--dsn\r\nContent-Description: Notification\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nYour message could not be delivered.\r\n--dsn\r\nContent-Description: Delivery report\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.ch-demo.mssante.fr\r\nX-Postfix-Queue-ID: 4ABC\r\nArrival-Date: Tue,  1 Apr 2025 10:00:01 +0200 (CEST)\r\n\r\nFinal-Recipient: rfc822; inconnu@ch-demo.mssante.fr\r\nOriginal-Recipient: rfc822;inconnu@ch-demo.mssante.fr\r\nAction: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; imap.ch-demo.mssante.fr\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\nFinal-Recipient: rfc822; autre@ch-demo.mssante.fr\r\nAction: delayed\r\nStatus: 4.4.1\r\n\r\n--dsn\r\nContent-Description: Undelivered Message Headers\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: jeanne.martin@medecin.mssante.fr\r\nSubject: test\r\n\r\n--dsn--\r\n")

# --- MSSante-shaped ----------------------------------------------------------------------
case("mssante-xdm-with-headers", H + b"Subject: CR hospitalisation\r\nX-MSS-CODECDA: 11490-0\r\nX-MSS-CODECDA: 34133-9\r\nX-MSS-INS: 1\r\nX-MSS-NIL: LPS Demo 2.1\r\nDisposition-Notification-To: jeanne.martin@medecin.mssante.fr\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=xdm\r\n\r\n--xdm\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nCompte rendu ci-joint, document structur=C3=A9 au format IHE XDM.\r\n--xdm\r\nContent-Type: application/zip; name=IHE_XDM.ZIP\r\nContent-Disposition: attachment; filename=IHE_XDM.ZIP\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==\r\n--xdm--\r\n")
case("html-only-converted-to-text", H + b"Subject: html seul\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + "<html><head><style>p{color:red}</style><title>t</title></head><body><h1>R&eacute;sultats</h1><p>Glyc&eacute;mie&nbsp;: <b>1,2 g/L</b></p><ul><li>Cholest&eacute;rol</li><li>Triglyc&eacute;rides</li></ul><script>alert(1)</script><p>Voir <a href=\"https://example.org/cr\">le compte rendu</a>.</p></body></html>".encode() + b"\r\n")

for name, data in cases.items():
    with open(os.path.join(OUT, name + ".eml"), "wb") as f:
        f.write(data)
print(len(cases), "handwritten cases")
