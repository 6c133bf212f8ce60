// In-clinic tablet mode: clear a questionnaire left idle, with a warning first.
// The timings come from the page (templates/tablet/_idle.html): no inline script (CSP).
(function () {
  "use strict";

  // A page kept in the back-forward cache would show the previous patient without asking the
  // server: ask again, so the server answers for the session as it is now.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.reload();
  });

  var dialog = document.getElementById("tablet-idle-dialog");
  var reset = document.getElementById("tablet-reset-form");
  var keepAlive = document.getElementById("tablet-keep-alive-form");
  if (!dialog || !reset) return;

  var idle = Number(dialog.dataset.idleSeconds) * 1000;
  var warning = Number(dialog.dataset.warningSeconds) * 1000;
  var countdown = document.getElementById("tablet-idle-countdown");
  var lastActivity = Date.now();
  var lastKeepAlive = Date.now();
  var clearing = false;

  function sendKeepAlive() {
    // The server clears a session it has not heard from for the idle time: while the patient
    // types on one page (no request), say that it is in use, at most every half idle time.
    if (!keepAlive || Date.now() - lastKeepAlive < idle / 2) return;
    lastKeepAlive = Date.now();
    fetch(keepAlive.action, {
      method: "POST",
      body: new FormData(keepAlive),
      credentials: "same-origin",
    }).catch(function () {});
  }

  function activity() {
    // While the warning is shown, only its own answer counts: a tap that closed it would also
    // land on the form underneath (ticking an answer), and Enter would send the form.
    if (dialog.open) return;
    lastActivity = Date.now();
    sendKeepAlive();
  }

  function resume() {
    lastActivity = Date.now();
    dialog.close();
    sendKeepAlive();
  }

  ["pointerdown", "keydown", "input", "scroll", "touchstart"].forEach(function (name) {
    window.addEventListener(name, activity, { capture: true, passive: true });
  });
  document.getElementById("tablet-idle-continue").addEventListener("click", resume);
  // Escape, or a tap beside the warning (on its backdrop), also mean "still here".
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    resume();
  });
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) resume();
  });

  window.setInterval(function () {
    if (clearing) return;
    var left = idle - (Date.now() - lastActivity);
    if (left <= 0) {
      clearing = true;
      reset.submit();
      return;
    }
    if (left <= warning) {
      countdown.textContent = String(Math.ceil(left / 1000));
      if (!dialog.open) dialog.showModal();
    }
  }, 250);
})();
