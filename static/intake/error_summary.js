// After a refused submit, every form of the site (templates/_error_summary.html): focus goes to
// the first field to correct, whose label and error are then read; when no field is marked (a
// wrong password, a form-wide error), to the summary itself, which is read as a whole.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) { return; }
  var form = summary.closest("form") || document;
  var firstInvalid = form.querySelector(
    '.is-invalid:not([disabled]):not([type="hidden"]), [aria-invalid="true"]:not([disabled]):not(fieldset):not([role="radiogroup"])'
  );
  if (firstInvalid && !firstInvalid.closest("[aria-hidden='true'], .d-none")) {
    firstInvalid.focus();
  } else {
    summary.focus();
  }
})();
