// The idle warning (templates/registration/_idle_warning.html): a dialog before the server's
// idle sign-out (intake.middleware, which alone decides), whose "Stay signed in" restarts the
// clock with a POST, and which says so once the time is up. Pressing Escape also stays: whoever
// pressed it is at the screen.
(function () {
  "use strict";
  var dialog = document.getElementById("idle-warning");
  if (!dialog || typeof dialog.showModal !== "function") { return; }
  var secondsLeft = parseInt(dialog.getAttribute("data-seconds-left"), 10);
  var timeout = parseInt(dialog.getAttribute("data-timeout"), 10);
  if (!(secondsLeft > 0) || !(timeout > 0)) { return; }

  // Two minutes' warning, or a quarter of the time for a shorter timeout.
  var WARN_BEFORE_MS = 120 * 1000;
  var warning = dialog.querySelector('[data-idle-state="warning"]');
  var signedOut = dialog.querySelector('[data-idle-state="signed-out"]');
  var keepAlive = warning.querySelector("form");
  var time = warning.querySelector("time");
  var deadline = 0;
  var warnAt = 0;
  var ended = false;
  var returnFocus = null;

  function schedule(seconds) {
    // The server counts whole seconds and signs out once more than the timeout has passed.
    deadline = Date.now() + (seconds + 1) * 1000;
    warnAt = deadline - Math.min(WARN_BEFORE_MS, seconds * 1000 / 4);
  }

  function open(state) {
    warning.hidden = state !== warning;
    signedOut.hidden = state !== signedOut;
    var title = state.querySelector("h2");
    var text = state.querySelector("h2 + *");
    dialog.setAttribute("aria-labelledby", title.id);
    dialog.setAttribute("aria-describedby", text.id);
    if (!dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
    }
    var first = state.querySelector("button, a");
    if (first) { first.focus(); }
  }

  function close() {
    dialog.close();
    if (returnFocus && typeof returnFocus.focus === "function") { returnFocus.focus(); }
    returnFocus = null;
  }

  function check() {
    var now = Date.now();
    if (ended) { return; }
    if (now >= deadline) {
      ended = true;
      open(signedOut);
    } else if (now >= warnAt && !dialog.open) {
      var at = new Date(deadline);
      time.dateTime = at.toISOString();
      time.textContent = at.toLocaleTimeString(document.documentElement.lang || undefined, {
        hour: "2-digit", minute: "2-digit"
      });
      open(warning);
    }
  }

  function stay() {
    fetch(keepAlive.action, {
      method: "POST",
      body: new FormData(keepAlive),
      credentials: "same-origin",
      redirect: "manual"
    }).then(function (response) {
      if (response.status === 204) {
        schedule(timeout);
        close();
      } else {
        ended = true;
        open(signedOut);
      }
    }).catch(function () {
      // No answer (the network): the warning stays, and the button can be pressed again.
    });
  }

  keepAlive.addEventListener("submit", function (event) {
    event.preventDefault();
    stay();
  });
  dialog.addEventListener("cancel", function (event) {
    if (ended) { return; }  // Escape closes the "signed out" notice.
    event.preventDefault();
    stay();
  });

  schedule(secondsLeft);
  setInterval(check, 1000);
  document.addEventListener("visibilitychange", check);
})();
