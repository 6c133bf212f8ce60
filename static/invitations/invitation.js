// Reception's invitation page works without this file; it adds the copy and print buttons.
(function () {
  "use strict";

  function copyBySelection(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!field || !status) {
      return;
    }
    function report(copied) {
      status.textContent = copied ? button.getAttribute("data-copied") : button.getAttribute("data-copy-failed");
      if (!copied) {
        field.focus();
        field.select();
      }
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "";
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () { report(true); },
          function () { report(copyBySelection(field)); }
        );
      } else {
        report(copyBySelection(field));
      }
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
