"""Builds the demo messages as bytes (stdlib email package, compat32 so that header and body
charsets stay exactly as chosen: ISO-8859-1, windows-1252 or UTF-8).

Everything is deterministic: fixed dates, Message-IDs and MIME boundaries.
"""

import email.charset
import email.utils
from datetime import datetime, timedelta, timezone
from email.generator import BytesGenerator
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email import encoders
from email.policy import compat32
import io

# Quoted-printable keeps accented text readable in the raw source for the legacy charsets.
email.charset.add_charset("windows-1252", email.charset.QP, email.charset.QP, None)
email.charset.add_charset("iso-8859-1", email.charset.QP, email.charset.QP, None)
email.charset.add_charset("utf-8", email.charset.BASE64, email.charset.QP, None)

PARIS = timezone(timedelta(hours=1))
ANCHOR = datetime(2026, 11, 20, 9, 0, tzinfo=PARIS)


def at(days_before, hour=9, minute=0):
    d = ANCHOR - timedelta(days=days_before)
    return d.replace(hour=hour, minute=minute)


class Builder:
    def __init__(self, directory):
        self._boundary = 0
        self._people = {u["address"]: u for u in directory}

    def person(self, address):
        u = self._people.get(address)
        name = u["displayName"] if u else None
        return email.utils.formataddr((str(Header(name, "utf-8")) if name and not name.isascii() else name, address)) if name else address

    def _header(self, text, charset):
        return text if text.isascii() else Header(text, charset)

    def _boundary_for(self, msg):
        self._boundary += 1
        msg.set_boundary(f"=_mssante_demo_{self._boundary:05d}")

    def text(self, body, charset="utf-8", subtype="plain"):
        return MIMEText(body, subtype, charset)

    def attachment(self, data, maintype, subtype, filename, charset="utf-8", rfc2047_name=False):
        """Attachment whose filename is sent RFC 2231 (filename*=charset''...) when not ASCII;
        rfc2047_name also adds the widespread (non-standard) encoded-word in Content-Type name."""
        part = MIMEBase(maintype, subtype)
        part.set_payload(data)
        encoders.encode_base64(part)
        if filename.isascii():
            part.add_header("Content-Disposition", "attachment", filename=filename)
            part.set_param("name", filename)
        else:
            part.add_header("Content-Disposition", "attachment", filename=(charset, "", filename))  # RFC 2231 §4
            if not rfc2047_name:
                part.set_param("name", (charset, "", filename))
            else:
                part.set_param("name", Header(filename, charset).encode())  # RFC 2047 §5 style
        return part

    def message(self, *, sender, to, subject, date, msg_id, body=None, parts=(), charset="utf-8",
                cc=(), headers=None, in_reply_to=None, references=None, alternative_html=None):
        if parts or alternative_html:
            msg = MIMEMultipart("mixed")
            if alternative_html:
                alt = MIMEMultipart("alternative")
                alt.attach(self.text(body or "", charset))
                alt.attach(self.text(alternative_html, charset, "html"))
                self._boundary_for(alt)
                if parts:
                    msg.attach(alt)
                else:
                    msg = alt
            elif body is not None:
                msg.attach(self.text(body, charset))
            for p in parts:
                msg.attach(p)
            self._boundary_for(msg)
        else:
            msg = self.text(body or "", charset)
        msg["Message-ID"] = f"<{msg_id}@demo.mssante.fr>"
        msg["Date"] = email.utils.format_datetime(date)
        msg["From"] = self.person(sender)
        msg["To"] = ", ".join(self.person(a) for a in to)
        if cc:
            msg["Cc"] = ", ".join(self.person(a) for a in cc)
        msg["Subject"] = self._header(subject, charset)
        if in_reply_to:
            msg["In-Reply-To"] = f"<{in_reply_to}@demo.mssante.fr>"
        if references:
            msg["References"] = " ".join(f"<{r}@demo.mssante.fr>" for r in references)
        for k, v in (headers or {}).items():
            msg[k] = v
        # MIME-Version must come first for readers that look for it early; compat32 keeps order.
        if "MIME-Version" not in msg:
            msg["MIME-Version"] = "1.0"
        return serialise(msg)


def serialise(msg):
    # email.mime stamps MIME-Version on every part; RFC 2045 §4 wants it on the message only.
    for part in msg.walk():
        if part is not msg:
            del part["MIME-Version"]
    out = io.BytesIO()
    BytesGenerator(out, mangle_from_=False, policy=compat32.clone(linesep="\n")).flatten(msg)
    return out.getvalue()


def mdn(builder, *, reporter, original_sender, original_msg_id, original_subject, date, msg_id):
    """RFC 8098 disposition notification (multipart/report), as an LPS sends automatically."""
    report = MIMEMultipart("report", report_type="disposition-notification")
    human = MIMEText(
        f"Le message « {original_subject} » a été intégré automatiquement dans le dossier patient.\n", "plain", "utf-8")
    machine = MIMEBase("message", "disposition-notification")
    machine.set_payload(
        f"Reporting-UA: LPS-Demo; MSSante demo\n"
        f"Original-Recipient: rfc822;{reporter}\n"
        f"Final-Recipient: rfc822;{reporter}\n"
        f"Original-Message-ID: <{original_msg_id}@demo.mssante.fr>\n"
        f"Disposition: automatic-action/MDN-sent-automatically; processed\n")
    report.attach(human)
    report.attach(machine)
    builder._boundary_for(report)
    report["Message-ID"] = f"<{msg_id}@demo.mssante.fr>"
    report["Date"] = email.utils.format_datetime(date)
    report["From"] = builder.person(reporter)
    report["To"] = builder.person(original_sender)
    report["Subject"] = Header(f"Accusé de traitement : {original_subject}", "utf-8")
    report["Auto-Submitted"] = "auto-replied"
    return serialise(report)


def application(data, subtype, filename):
    part = MIMEApplication(data, subtype)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    part.set_param("name", filename)
    return part
