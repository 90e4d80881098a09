// The webmail's own Blazor event types and page-wide guards. A classic script loaded right after
// blazor.web.js: the types are registered before the circuit renders anything that uses them.
(() => {
  // The tab's title for pages rendered only in their circuit (DocumentTitle.razor).
  window.mssSetTitle = text => { document.title = String(text); };

  // Events on a message row carry the UID the row shows in the browser at that instant, so the
  // server opens, ticks or drags the message the user saw even if the list moved on in between.
  const rowUid = e => {
    const row = e.target instanceof Element ? e.target.closest("[data-uid]") : null;
    const uid = row ? Number(row.dataset.uid) : 0;
    return Number.isInteger(uid) && uid > 0 ? uid : 0;
  };
  Blazor.registerCustomEventType("mailrowclick", {
    browserEventName: "click",
    createEventArgs: e => ({ uid: rowUid(e) }),
  });
  Blazor.registerCustomEventType("mailrowcheck", {
    browserEventName: "change",
    createEventArgs: e => ({ uid: rowUid(e), checked: e.target instanceof HTMLInputElement && e.target.checked }),
  });
  Blazor.registerCustomEventType("mailrowdragstart", {
    browserEventName: "dragstart",
    createEventArgs: e => ({ uid: rowUid(e) }),
  });

  // Events on a folder button carry the folder it shows, for the same reason: the folder list can
  // change under the pointer (a folder created elsewhere, a delegation granted or withdrawn).
  const folderOf = e => {
    const button = e.target instanceof Element ? e.target.closest("[data-folder]") : null;
    return button ? button.dataset.folder : null;
  };
  Blazor.registerCustomEventType("mailfolderclick", {
    browserEventName: "click",
    createEventArgs: e => ({ folder: folderOf(e) }),
  });
  Blazor.registerCustomEventType("mailfolderdrop", {
    browserEventName: "drop",
    createEventArgs: e => ({ folder: folderOf(e) }),
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
