// Progressive enhancement of the intake: everything works without this file.
(function () {
  "use strict";
  var form = document.getElementById("wizard-form");
  if (!form) { return; }

  // Conditional questions: shown or hidden at once as answers change. Hidden inputs are
  // disabled so a hidden answer is never sent; the server decides the same way on its own.
  function controllerValues(prefix, key) {
    var inputs = form.querySelectorAll('[name="' + prefix + key + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "checkbox" || input.type === "radio")) {
        if (input.checked) { values.push(input.value); }
      } else if (input.value) {
        values.push(input.value);
      }
    });
    return values;
  }

  var conditionals = [];
  form.querySelectorAll("[data-shown-when][name]").forEach(function (input) {
    var wrapper = input.closest(".js-conditional");
    if (!wrapper || conditionals.some(function (c) { return c.wrapper === wrapper; })) { return; }
    var prefix = input.name.slice(0, input.name.lastIndexOf("-") + 1);
    conditionals.push({
      wrapper: wrapper,
      prefix: prefix,
      key: input.getAttribute("data-shown-when"),
      values: input.getAttribute("data-shown-values").split(" ")
    });
  });

  // A question that appears is announced (the answer that shows it also names it, by
  // aria-controls); one that goes away is not: nothing is lost.
  var status = document.getElementById("follow-up-status");
  function announce(wrappers) {
    if (!status || !wrappers.length) { return; }
    var labels = wrappers.map(function (wrapper) {
      var label = wrapper.querySelector("label, legend");
      return label ? label.textContent.trim() : "";
    });
    status.textContent = status.getAttribute("data-announcement") + " " + labels.join(" / ");
  }

  function update(event) {
    var appeared = [];
    conditionals.forEach(function (c) {
      var given = controllerValues(c.prefix, c.key);
      var shown = given.some(function (v) { return c.values.indexOf(v) !== -1; });
      if (shown && c.wrapper.classList.contains("d-none")) { appeared.push(c.wrapper); }
      c.wrapper.classList.toggle("d-none", !shown);
      c.wrapper.querySelectorAll("input, select, textarea").forEach(function (el) {
        el.disabled = !shown;
      });
    });
    if (event) { announce(appeared); }
  }
  if (conditionals.length) {
    form.addEventListener("change", update);
    update();
  }

  // One click sends once (the server also refuses duplicates).
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-submit-once")) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
    }
  });
})();
