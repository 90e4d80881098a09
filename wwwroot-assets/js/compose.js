// Compose form helpers: files dropped onto the form, the keys of the recipient autocomplete,
// and what was typed while the circuit was down.
// Dropped files go through the form's own file input (the same path as the picker), after the
// per-file limit is checked here so a file over it is never uploaded at all.

import { onReconnected } from "./reconnect.js";

export function attach(form, input, maxBytes, dotnet) {
  if (!form || !input || form.dataset.mssComposeReady) { return; }
  form.dataset.mssComposeReady = "true";
  resendAfterReconnect(form);
  let depth = 0;
  const hasFiles = e => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes("Files");
  form.addEventListener("dragenter", e => {
    if (!hasFiles(e)) { return; }
    e.preventDefault();
    depth++;
    form.classList.add("mail-compose-dropping");
  });
  form.addEventListener("dragover", e => {
    if (!hasFiles(e)) { return; }
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
  });
  form.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) { form.classList.remove("mail-compose-dropping"); }
  });
  form.addEventListener("drop", e => {
    if (!hasFiles(e)) { return; }
    // The rich-text editor would otherwise insert the file into the body.
    e.preventDefault();
    e.stopPropagation();
    depth = 0;
    form.classList.remove("mail-compose-dropping");
    const accepted = new DataTransfer();
    for (const file of Array.from(e.dataTransfer.files)) {
      if (file.size > maxBytes) {
        dotnet.invokeMethodAsync("RefuseFile", file.name);
      } else {
        accepted.items.add(file);
      }
    }
    if (accepted.files.length > 0) {
      input.files = accepted.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }, true);
  // While a suggestion list is open, these keys belong to it: no caret move, no form submit.
  form.addEventListener("keydown", e => {
    const t = e.target;
    if (t instanceof HTMLInputElement && t.dataset.autocomplete && t.getAttribute("aria-expanded") === "true"
        && ["ArrowDown", "ArrowUp", "Enter", "Escape"].includes(e.key)) {
      e.preventDefault();
    }
  });
}

// While the circuit is down (or not yet known to be), keys still reach the page but Blazor drops
// the events it cannot send, so the server's copy of the message (the one autosaved and sent)
// would silently lack them. Once the circuit is back, every field edited since the form opened
// announces its current value again; announcing a value the server already has changes nothing.
function resendAfterReconnect(form) {
  const edited = new Set();
  form.addEventListener("input", e => {
    // Not a file input: announcing it again would upload its files a second time.
    if (e.target instanceof HTMLElement && e.target.type !== "file") { edited.add(e.target); }
  }, true);
  onReconnected(() => {
    if (!form.isConnected) { return false; }
    for (const field of edited) {
      if (!field.isConnected) { edited.delete(field); continue; }
      field.dispatchEvent(new Event("input", { bubbles: true }));
      if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
        field.dispatchEvent(new Event("change", { bubbles: true }));
      }
      if (field.dataset.autocomplete && document.activeElement !== field) {
        // A recipient field not being typed in: close the suggestions its input event asks for.
        field.dispatchEvent(new FocusEvent("blur"));
      }
    }
    return true;
  });
}
