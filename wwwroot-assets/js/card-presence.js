// Card presence watch for signed-in pages: after a card login, polls the card bridge and
// ends the session within a few seconds when the card leaves the reader (or the bridge
// stops). Included once by the layout; does nothing for sessions opened otherwise.
(function () {
  "use strict";
  if (window.mssCardPresence) { return; }
  window.mssCardPresence = true;
  const raw = sessionStorage.getItem("mssante.card");
  if (!raw) { return; }
  const watched = JSON.parse(raw);
  let misses = 0;
  async function check() {
    let present = false;
    try {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 2000);
      const response = await fetch(watched.bridgeUrl + "/v1/status", { signal: controller.signal, cache: "no-store" });
      clearTimeout(timer);
      const status = await response.json();
      present = (status.cards || []).some((c) => c.card === watched.card);
    } catch (e) {
      present = false;
    }
    misses = present ? 0 : misses + 1;
    // Two misses in a row: one slow answer is not a removed card.
    if (misses >= 2) {
      sessionStorage.removeItem("mssante.card");
      // The server ends the session for every copy of its cookie only once told: retry a
      // failed report a few times before leaving the page.
      for (let attempt = 0; attempt < 3; attempt++) {
        const response = await fetch("/connexion/carte/retrait", { method: "POST", credentials: "same-origin" }).catch(() => null);
        if (response && response.ok) { break; }
        await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
      }
      window.location.assign("/connexion?motif=retrait");
      return;
    }
    setTimeout(check, watched.pollMs || 3000);
  }
  setTimeout(check, watched.pollMs || 3000);
})();
