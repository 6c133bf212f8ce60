// "Copy for the chart" (the intake page) and "Copy" (the chart text's page), with the Clipboard
// API. Without JavaScript, or if copying fails, the link leads to the chart text's page, where
// the text can be selected and copied by hand.
(function () {
  "use strict";
  if (!navigator.clipboard) { return; }

  function say(control, ok) {
    var status = document.querySelector(control.getAttribute("data-status") || "[data-copy-status]");
    if (status) { status.textContent = control.getAttribute(ok ? "data-copied" : "data-failed"); }
  }

  // The intake page: fetch the chart text (a reading, recorded like any other) and copy it. A
  // ClipboardItem takes the pending text, so the copy still counts as the click's (Safari).
  document.querySelectorAll("[data-chart-copy]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var text = fetch(link.getAttribute("data-chart-copy"), {
        credentials: "same-origin", headers: { Accept: "text/plain" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      });
      var copied;
      if (window.ClipboardItem && navigator.clipboard.write) {
        copied = navigator.clipboard.write([new ClipboardItem({
          "text/plain": text.then(function (body) { return new Blob([body], { type: "text/plain" }); })
        })]);
      } else {
        copied = text.then(function (body) { return navigator.clipboard.writeText(body); });
      }
      copied.then(function () { say(link, true); }, function () { window.location.href = link.href; });
    });
  });

  // The chart text's page: copy what the box holds.
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var box = document.getElementById(button.getAttribute("data-copy-target"));
    if (!box) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(box.value).then(
        function () { say(button, true); },
        function () { box.select(); say(button, false); }
      );
    });
  });
})();
