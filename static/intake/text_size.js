// The patient's "Larger text" switch (templates/base.html): a toggle button (aria-pressed) that
// enlarges every page's text (html.text-large in intake.css) and is remembered in this browser
// (localStorage), for older patients. No inline script: the CSP allows none.
(function () {
  "use strict";
  var KEY = "intake-text-size";
  var button = document.getElementById("text-size-toggle");
  var root = document.documentElement;
  function stored() {
    try { return window.localStorage.getItem(KEY) === "large"; } catch (e) { return false; }
  }
  function apply(large) {
    root.classList.toggle("text-large", large);
    if (button) { button.setAttribute("aria-pressed", large ? "true" : "false"); }
  }
  apply(stored());
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var large = button.getAttribute("aria-pressed") !== "true";
    apply(large);
    try { window.localStorage.setItem(KEY, large ? "large" : "normal"); } catch (e) { /* private mode */ }
  });
})();
