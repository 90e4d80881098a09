// Card login in the browser: talks to the card bridge on 127.0.0.1 (which holds the PKCS#11
// module) and to the webmail server. The PIN goes from the input to the bridge only; the
// server receives the challenge, the signature and the certificates.
(function () {
  "use strict";

  const root = document.getElementById("mss-card-login");
  if (!root || root.dataset.started) { return; }
  root.dataset.started = "1";

  const bridgeUrl = root.dataset.bridgeUrl.replace(/\/$/, "");
  const basePath = root.dataset.basePath;
  const pollMs = Math.max(1, Number(root.dataset.pollSeconds || 3)) * 1000;
  const $ = (id) => document.getElementById(id);
  const show = (id, visible) => { $(id).hidden = !visible; };
  const message = (text) => { $("mss-message").textContent = text || ""; };

  let cards = [];
  let current = null; // { card, certificateId, certificate }: always the card shown selected
  let busy = false;
  let choice = 0; // bumped on every card choice: only the latest one's certificates count

  async function bridge(path, options) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options && options.method === "POST" ? 30000 : 8000);
    try {
      // Chromium asks the user once for "local network access" here (Private Network Access).
      const response = await fetch(bridgeUrl + path, Object.assign({ signal: controller.signal, cache: "no-store" }, options || {}));
      const body = await response.json().catch(() => ({}));
      return { ok: response.ok, status: response.status, body };
    } finally {
      clearTimeout(timer);
    }
  }

  function bridgeMissing() {
    show("mss-bridge-checking", false);
    show("mss-card-form", false);
    show("mss-no-card", false);
    show("mss-bridge-missing", true);
  }

  async function refresh() {
    if (busy) { return; }
    let status;
    try {
      status = await bridge("/v1/status");
    } catch (e) {
      bridgeMissing();
      return;
    }
    show("mss-bridge-checking", false);
    show("mss-bridge-missing", false);
    if (!status.ok || status.body.bridge !== "mssante-card-bridge") { bridgeMissing(); return; }
    if (!status.body.moduleLoaded) {
      show("mss-card-form", false);
      message(status.body.moduleError || "Le module de la carte CPS n'est pas disponible.");
      return;
    }
    const list = status.body.cards || [];
    const signature = JSON.stringify(list.map((c) => [c.card, c.remainingTries]));
    if (signature === JSON.stringify(cards.map((c) => [c.card, c.remainingTries]))) { return; }
    cards = list;
    if (cards.length === 0) {
      current = null;
      show("mss-card-form", false);
      show("mss-no-card", true);
      return;
    }
    show("mss-no-card", false);
    const select = $("mss-card-select");
    // Keep what the user chose, even while its certificates are still loading.
    const previous = select.value || (current && current.card);
    select.innerHTML = "";
    for (const c of cards) {
      const option = document.createElement("option");
      option.value = c.card;
      option.textContent = c.label;
      select.appendChild(option);
    }
    if (previous && cards.some((c) => c.card === previous)) { select.value = previous; }
    show("mss-card-choice", cards.length > 1);
    await selectCard(select.value);
  }

  async function selectCard(card) {
    // Choices can overlap (the first listing, then the user's pick): the slower answer of an
    // older choice must never replace the newer one, or the PIN would go to another card.
    const ticket = ++choice;
    current = null;
    $("mss-submit").disabled = true;
    const info = cards.find((c) => c.card === card);
    const result = await bridge("/v1/certificates?card=" + encodeURIComponent(card)).catch(() => null);
    if (ticket !== choice) { return; }
    if (!result) { bridgeMissing(); return; }
    if (!result.ok) { message(result.body.message); return; }
    const certs = result.body;
    const auth = certs.find((c) => /authentification/i.test(c.label)) || certs[0];
    if (!auth) { message("Aucun certificat d'authentification sur cette carte."); return; }
    current = { card, certificateId: auth.id, certificate: auth };
    const expires = new Date(auth.notAfter);
    const holder = $("mss-holder");
    holder.textContent = "";
    const line = (label, value) => {
      const p = document.createElement("div");
      const b = document.createElement("strong");
      b.textContent = label + " : ";
      p.appendChild(b);
      p.appendChild(document.createTextNode(value));
      holder.appendChild(p);
    };
    line("Titulaire", describeSubject(auth.subject));
    line("Certificat", auth.label + ", valable jusqu'au " + expires.toLocaleDateString("fr-FR"));
    showTries(info);
    show("mss-card-form", true);
  }

  function describeSubject(subject) {
    // "CN=899700100015 + SN=MARTIN + G=JEANNE, T=Médecin, C=FR" -> "JEANNE MARTIN, Médecin (899700100015)"
    const get = (key) => { const m = new RegExp("(?:^|[,+]\\s*)" + key + "=([^,+]+)").exec(subject); return m ? m[1].trim() : ""; };
    const given = get("G") || get("GN") || get("GIVENNAME");
    const sn = get("SN") || get("S");
    const title = get("T") || get("TITLE");
    const id = get("CN") || get("SERIALNUMBER");
    return [given, sn].filter(Boolean).join(" ") + (title ? ", " + title : "") + (id ? " (" + id + ")" : "");
  }

  function showTries(info) {
    const tries = $("mss-tries");
    const pin = $("mss-pin");
    const submit = $("mss-submit");
    if (!info) { tries.textContent = ""; return; }
    if (info.pinLocked || info.remainingTries === 0) {
      tries.textContent = "Code PIN bloqué.";
      message("Le code PIN de la carte est bloqué. Débloquez-la avec le code de déblocage (PUK) ou contactez l'ANS.");
      pin.disabled = true;
      submit.disabled = true;
      return;
    }
    pin.disabled = false;
    submit.disabled = false;
    tries.textContent = info.remainingTries === 1
      ? "Attention : dernier essai avant blocage de la carte."
      : "Essais restants : " + info.remainingTries;
  }

  async function login(event) {
    event.preventDefault();
    if (!current || busy || current.card !== $("mss-card-select").value) { return; }
    busy = true;
    message("");
    const pinInput = $("mss-pin");
    const submit = $("mss-submit");
    submit.disabled = true;
    const pin = pinInput.value;
    pinInput.value = "";
    try {
      const challengeResponse = await fetch(basePath + "/defi", { method: "POST", credentials: "same-origin" });
      const challenge = await challengeResponse.json();
      if (!challengeResponse.ok) { message(challenge.message); return; }
      const skewMinutes = Math.round((Date.now() - challenge.issuedAt) / 60000);
      if (Math.abs(skewMinutes) >= 5) {
        const clock = $("mss-clock");
        clock.textContent = "L'horloge de votre ordinateur est décalée de " + Math.abs(skewMinutes) +
          " minutes par rapport au serveur. Corrigez la date et l'heure de votre poste si la connexion échoue.";
        clock.hidden = false;
      }
      let signed;
      try {
        signed = await bridge("/v1/sign", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ card: current.card, certificateId: current.certificateId, challenge: challenge.challenge, algorithm: "RS256", pin })
        });
      } catch (e) {
        bridgeMissing();
        message("Le module de carte CPS ne répond plus. Vérifiez qu'il est démarré.");
        return;
      }
      if (!signed.ok) {
        message(signed.body.message || "La carte a refusé l'opération.");
        const info = cards.find((c) => c.card === current.card);
        if (info && typeof signed.body.remainingTries === "number") {
          info.remainingTries = signed.body.remainingTries;
          info.pinLocked = signed.body.remainingTries === 0;
          showTries(info);
        }
        if (signed.body.error === "no_card") { cards = []; busy = false; await refresh(); }
        return;
      }
      const verification = await fetch(basePath + "/verification", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ challenge: challenge.challenge, signature: signed.body.signature, algorithm: signed.body.algorithm, certificates: signed.body.certificates })
      });
      const outcome = await verification.json().catch(() => ({}));
      if (!verification.ok) { message(outcome.message || "Connexion refusée."); return; }
      sessionStorage.setItem("mssante.card", JSON.stringify({ card: current.card, bridgeUrl, pollMs }));
      window.location.assign(outcome.redirect || "/");
    } catch (e) {
      message("La connexion a échoué. Vérifiez votre connexion au réseau et recommencez.");
    } finally {
      busy = false;
      // A locked card keeps its form disabled; a card whose certificates are loading too.
      submit.disabled = $("mss-pin").disabled || !current;
    }
  }

  $("mss-card-form").addEventListener("submit", login);
  $("mss-card-select").addEventListener("change", (e) => selectCard(e.target.value));
  $("mss-bridge-retry").addEventListener("click", () => { show("mss-bridge-checking", true); show("mss-bridge-missing", false); refresh(); });
  sessionStorage.removeItem("mssante.card");
  refresh();
  setInterval(refresh, pollMs);
})();
