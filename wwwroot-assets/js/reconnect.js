// Watches the classic reconnect UI of blazor.web.js (the #components-reconnect-modal element of
// ReconnectModal.razor, whose components-reconnect-* classes the script switches) so page
// scripts can act once a dropped circuit is connected again.

const modalId = "components-reconnect-modal";
const downClasses = ["components-reconnect-show", "components-reconnect-failed"];

// Calls `callback` each time the circuit comes back after being down, until it returns false.
export function onReconnected(callback) {
  const modal = document.getElementById(modalId);
  if (!modal) { return; }
  let down = downClasses.some(c => modal.classList.contains(c));
  const observer = new MutationObserver(() => {
    if (downClasses.some(c => modal.classList.contains(c))) {
      down = true;
    } else if (down && modal.classList.contains("components-reconnect-hide")) {
      down = false;
      if (callback() === false) { observer.disconnect(); }
    }
  });
  observer.observe(modal, { attributes: true, attributeFilter: ["class"] });
}

