// The review workspace works without this file; it only adds the print button's action.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();

// After a decision is saved the page opens at #decisions: once laid out, show it at the top and
// take the focus there, so that the saved decision is what the doctor (and a screen reader) meets.
(function () {
  "use strict";
  var target = window.location.hash === "#decisions" && document.getElementById("decisions");
  if (target) {
    target.scrollIntoView();
    target.focus({ preventScroll: true });
  }
})();
