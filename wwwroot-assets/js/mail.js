// Browser notification for new mail: says only "Nouveau message", never who or what.
export function notify() {
  if (!("Notification" in window) || document.hasFocus()) { return; }
  if (Notification.permission === "granted") {
    new Notification("Nouveau message", { tag: "mssante-nouveau-message" });
  }
}

export function askPermission() {
  if ("Notification" in window && Notification.permission === "default") { Notification.requestPermission(); }
}
