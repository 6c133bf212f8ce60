// The review workspace works without this file; it adds the print button's action and keeps an
// unsent decision in this tab.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // What is typed in the decision form is kept in sessionStorage (this tab only, gone when it
  // closes; never localStorage, never the URL) until the decision is recorded: a doctor signed
  // out for inactivity signs in again and finds it back. The key names the intake and the
  // doctor, so another account signing in at this screen never sees it.
  var DRAFTS = "draft:";
  var storage;
  try { storage = window.sessionStorage; } catch (error) { return; }
  if (!storage) { return; }

  document.querySelectorAll("form[data-clears-drafts]").forEach(function (signOut) {
    signOut.addEventListener("submit", function () {
      Object.keys(storage).forEach(function (key) {
        if (key.indexOf(DRAFTS) === 0) { storage.removeItem(key); }
      });
    });
  });

  var form = document.querySelector("form[data-draft-key]");
  if (!form) { return; }
  var key = DRAFTS + form.getAttribute("data-draft-key");

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit";
    });
  }

  function save(sent) {
    var values = {};
    fields().forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        values[el.name] = values[el.name] || [];
        if (el.checked) { values[el.name].push(el.value); }
      } else {
        values[el.name] = [el.value];
      }
    });
    storage.setItem(key, JSON.stringify({ values: values, sent: sent }));
  }

  function restore(values) {
    fields().forEach(function (el) {
      var given = values[el.name];
      if (!given) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = given.indexOf(el.value) !== -1;
      } else {
        el.value = given[0];
      }
    });
  }

  var draft = null;
  try { draft = JSON.parse(storage.getItem(key)); } catch (error) { draft = null; }
  if (form.hasAttribute("data-draft-shown")) {
    // The server sent the form back with what was posted: that is the draft now.
    draft = null;
    storage.removeItem(key);
  }
  if (draft && draft.values) {
    var based = (draft.values.based_on || [""])[0];
    var mine = form.getAttribute("data-my-latest-decision");
    if (draft.sent && mine && mine !== based) {
      // Sent, and this doctor's decision has been recorded since: nothing left to keep.
      storage.removeItem(key);
    } else {
      // Kept with the decision it was based on: if another doctor's came meanwhile, submitting
      // shows it first (the server's conflict page).
      restore(draft.values);
      var status = document.getElementById("draft-status");
      if (status) {
        status.className = "alert alert-info";
        status.textContent = status.getAttribute("data-restored");
      }
    }
  }

  form.addEventListener("input", function () { save(false); });
  form.addEventListener("change", function () { save(false); });
  form.addEventListener("submit", function () { save(true); });
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
