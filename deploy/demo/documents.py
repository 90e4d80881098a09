"""Documents attached to the demo mail (stdlib only, deterministic, fictitious patients).

- make_pdf: a small valid PDF 1.4 (one page of text, Helvetica, correct xref offsets).
- make_hprim: an HPRIM Net lab result with a ****LAB**** block and abnormal flags.
- make_xdm: an IHE_XDM.ZIP (README.TXT, INDEX.HTM, SUBSET01/METADATA.XML + a CDA R2 document).
"""

import hashlib
import io
import zipfile

# Fictitious patients used across the demo corpus (no real person, no real identifier).
PATIENTS = [
    {"nom": "PATIENT-TEST", "prenom": "Camille", "naissance": "12/04/1958", "sexe": "F",
     "ins": "258049912345678", "adresse": "12 rue des Essais", "ville": "75000 PARIS-DEMO"},
    {"nom": "FICTIF", "prenom": "Gérard", "naissance": "03/11/1947", "sexe": "M",
     "ins": "147119912345612", "adresse": "4 allée de la Démo", "ville": "69000 LYON-DEMO"},
    {"nom": "EXEMPLE", "prenom": "Hélène", "naissance": "27/08/1972", "sexe": "F",
     "ins": "272089912345634", "adresse": "8 place du Test", "ville": "33000 BORDEAUX-DEMO"},
]

# LOINC code of the French "lettre de liaison" CDA used in the demo XDM (also X-MSS-CODECDA).
CDA_CODE = "34133-9"
INS_TEST_OID = "1.2.250.1.213.1.4.10"
IDNAT_OID = "1.2.250.1.71.4.2.1"


def _pdf_text(s):
    data = s.encode("cp1252", errors="replace")
    return data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def make_pdf(title, lines):
    """One A4 page: a bold title and the given lines. Offsets in the xref table are exact."""
    content = io.BytesIO()
    content.write(b"BT /F2 16 Tf 56 780 Td (" + _pdf_text(title) + b") Tj ET\n")
    y = 748
    for line in lines:
        content.write(b"BT /F1 11 Tf 56 %d Td (" % y + _pdf_text(line) + b") Tj ET\n")
        y -= 16
    stream = content.getvalue()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title (" + _pdf_text(title) + b") /Producer (MSSante webmail demo data) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def make_hprim(patient, date, lab_ref):
    """HPRIM Net file: 12-line header, free text, structured ****LAB**** block, end marker.

    RES fields: RES|label|code|type|value|unit|low|high|abnormal flag|status|value2|low2|high2
    (flag field 9: N normal, L/H low/high, LL/HH critical). Encoded ISO-8859-1 as labs do.
    """
    header = [
        f"{lab_ref}",
        patient["nom"],
        patient["prenom"],
        patient["adresse"],
        "",
        patient["ville"],
        patient["naissance"],
        "2 99 99 99 999 999 99",
        lab_ref,
        date,
        "LABO-BIO CH DEMO",
        "Dr MARTIN Jeanne",
    ]
    text = [
        "",
        "Compte rendu d'analyses de biologie médicale (données de démonstration fictives)",
        "",
        "Hémoglobine ............ 10,2 g/dl   (12,0 - 16,0)  *BAS*",
        "Leucocytes ............. 7,8 G/l     (4,0 - 10,0)",
        "Potassium .............. 6,8 mmol/l  (3,5 - 5,0)   *CRITIQUE*",
        "CRP .................... 45 mg/l     (< 5)         *HAUT*",
        "Créatinine ............. 98 µmol/l   (45 - 104)",
        "",
        "Résultat critique (potassium) communiqué par téléphone au prescripteur.",
        "",
    ]
    lab = [
        "****LAB****",
        "RES|Hémoglobine|HB|N|10.2|g/dl|12.0|16.0|L|F|6.33|7.45|9.93",
        "RES|Leucocytes|GB|N|7.8|G/l|4.0|10.0|N|F||||",
        "RES|Potassium|K|N|6.8|mmol/l|3.5|5.0|HH|F||||",
        "TEX|Résultat critique : contrôle recommandé dans les 24 heures.",
        "RES|Protéine C réactive|CRP|N|45|mg/l||5|H|F||||",
        "RES|Créatinine|CREA|N|98|µmol/l|45|104|N|F|1.11|0.51|1.18",
        "RES|Débit de filtration glomérulaire (CKD-EPI)|DFG|N|58|ml/min/1.73m2|60||L|F||||",
        "****FIN****",
        "****FINFICHIER****",
    ]
    return ("\r\n".join(header + text + lab) + "\r\n").encode("iso-8859-1")


def _cda(patient, author, doc_id, date_compact, title, paragraphs):
    body = "\n".join(f"          <paragraph>{p}</paragraph>" for p in paragraphs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <realmCode code="FR"/>
  <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
  <id root="1.2.250.1.999.1.1" extension="{doc_id}"/>
  <code code="{CDA_CODE}" codeSystem="2.16.840.1.113883.6.1" displayName="Lettre de liaison à la sortie d'un établissement de santé"/>
  <title>{title}</title>
  <effectiveTime value="{date_compact}"/>
  <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
  <languageCode code="fr-FR"/>
  <recordTarget>
    <patientRole>
      <id root="{INS_TEST_OID}" extension="{patient['ins']}"/>
      <patient>
        <name><family>{patient['nom']}</family><given>{patient['prenom']}</given></name>
        <administrativeGenderCode code="{patient['sexe']}" codeSystem="2.16.840.1.113883.5.1"/>
        <birthTime value="{patient['naissance'][6:]}{patient['naissance'][3:5]}{patient['naissance'][0:2]}"/>
      </patient>
    </patientRole>
  </recordTarget>
  <author>
    <time value="{date_compact}"/>
    <assignedAuthor>
      <id root="{IDNAT_OID}" extension="{author['idNat']}"/>
      <assignedPerson><name><family>{author['surname']}</family><given>{author['givenName']}</given></name></assignedPerson>
    </assignedAuthor>
  </author>
  <custodian><assignedCustodian><representedCustodianOrganization>
    <id root="1.2.250.1.71.4.2.2" extension="3990000001"/><name>CH Demo</name>
  </representedCustodianOrganization></assignedCustodian></custodian>
  <component>
    <structuredBody>
      <component>
        <section>
          <title>Synthèse du séjour</title>
          <text>
{body}
          </text>
        </section>
      </component>
    </structuredBody>
  </component>
</ClinicalDocument>
""".encode("utf-8")


def _metadata(patient, author, doc_name, cda, date_compact, title):
    sha1 = hashlib.sha1(cda).hexdigest()
    pid = f"{patient['ins']}^^^&amp;{INS_TEST_OID}&amp;ISO^NH"
    author_ref = f"{author['idNat']}^{author['surname']}^{author['givenName']}^^^^^^&amp;{IDNAT_OID}&amp;ISO^D^^^IDNPS"

    def slot(name, *values):
        v = "".join(f"<rim:Value>{x}</rim:Value>" for x in values)
        return f'<rim:Slot name="{name}"><rim:ValueList>{v}</rim:ValueList></rim:Slot>'

    return f"""<?xml version="1.0" encoding="UTF-8"?>
<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">
  <rim:RegistryObjectList>
    <rim:ExtrinsicObject id="Document01" mimeType="text/xml" objectType="urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1">
      {slot("URI", doc_name)}
      {slot("creationTime", date_compact)}
      {slot("hash", sha1)}
      {slot("size", str(len(cda)))}
      {slot("languageCode", "fr-FR")}
      {slot("sourcePatientId", pid)}
      <rim:Name><rim:LocalizedString value="{title}"/></rim:Name>
      <rim:Classification classificationScheme="urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d" classifiedObject="Document01" nodeRepresentation="" id="author01">
        {slot("authorPerson", author_ref)}
      </rim:Classification>
      <rim:Classification classificationScheme="urn:uuid:f0306f51-975f-434e-a61c-c59651d33983" classifiedObject="Document01" nodeRepresentation="{CDA_CODE}" id="type01">
        {slot("codingScheme", "2.16.840.1.113883.6.1")}
      </rim:Classification>
      <rim:Classification classificationScheme="urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f" classifiedObject="Document01" nodeRepresentation="N" id="conf01">
        {slot("codingScheme", "2.16.840.1.113883.5.25")}
      </rim:Classification>
      <rim:ExternalIdentifier identificationScheme="urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427" value="{pid}" id="pid01" registryObject="Document01"/>
    </rim:ExtrinsicObject>
  </rim:RegistryObjectList>
</lcm:SubmitObjectsRequest>
""".encode("utf-8")


def make_xdm(patient, author, doc_id, date_compact, title, paragraphs):
    """IHE_XDM.ZIP with fixed timestamps so the bytes are the same on every machine."""
    cda = _cda(patient, author, doc_id, date_compact, title, paragraphs)
    metadata = _metadata(patient, author, "DOC0001.XML", cda, date_compact, title)
    readme = ("Contenu IHE XDM genere pour la demonstration du webmail MSSante.\r\n"
              "Donnees fictives, aucun patient reel.\r\n").encode("ascii")
    index = ("<html><body><h1>IHE_XDM</h1><ul><li><a href=\"IHE_XDM/SUBSET01/DOC0001.XML\">"
             + title + "</a></li></ul></body></html>").encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [("README.TXT", readme), ("INDEX.HTM", index),
                           ("IHE_XDM/SUBSET01/METADATA.XML", metadata),
                           ("IHE_XDM/SUBSET01/DOC0001.XML", cda)]:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 18, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return out.getvalue()
