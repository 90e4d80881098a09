// Compose form helpers: files dropped onto the form, and the keys of the recipient autocomplete.
// Dropped files go through the form's own file input (the same path as the picker), after the
// per-file limit is checked here so a file over it is never uploaded at all.

export function attach(form, input, maxBytes, dotnet) {
  if (!form || !input || form.dataset.mssComposeReady) { return; }
  form.dataset.mssComposeReady = "true";
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
