// The webmail's own Blazor event types and page-wide guards. A classic script loaded right after
// blazor.web.js: the types are registered before the circuit renders anything that uses them.
(() => {
  // A click on a message row carries the UID the row shows in the browser at that instant, so the
  // server opens the message the user saw and clicked even if the list moved on in between.
  Blazor.registerCustomEventType("mailrowclick", {
    browserEventName: "click",
    createEventArgs: e => {
      const row = e.target instanceof Element ? e.target.closest("[data-uid]") : null;
      const uid = row ? Number(row.dataset.uid) : 0;
      return { uid: Number.isInteger(uid) && uid > 0 ? uid : 0 };
    },
  });

  // A file dropped anywhere the compose form does not take it (compose.js handles its own drops
  // first) must not make the browser open the file in place of the webmail.
  const carriesFiles = e => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes("Files");
  window.addEventListener("dragover", e => {
    if (!e.defaultPrevented && carriesFiles(e)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = "none";
    }
  });
  window.addEventListener("drop", e => {
    if (!e.defaultPrevented && carriesFiles(e)) { e.preventDefault(); }
  });
})();
