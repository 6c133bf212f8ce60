// The clinic's texts in the admin: each translated field's languages as tabs, and one labelled
// menu that switches every field to a language. Our own script in place of modeltranslation's,
// which nests links in jQuery UI tabs and leaves its menu without a label (screen readers cannot
// use either). Without this script every language's field simply shows, one under the other.
function translationTabs() {
  "use strict";

  var config = document.querySelector('meta[name="intake-translation-tabs"]');
  if (!config) {
    return;
  }
  var labels = JSON.parse(config.content);
  var codes = Object.keys(labels.languages);
  var PREFIX = "mt-field-";

  // The field and language of a translated input, from modeltranslation's class "mt-field-title-ja".
  function fieldOf(input) {
    var found = null;
    input.classList.forEach(function (name) {
      if (name.indexOf(PREFIX) !== 0) {
        return;
      }
      codes.forEach(function (code) {
        var suffix = "-" + code.replace("_", "-");
        if (name.slice(-suffix.length) === suffix) {
          found = { language: code, group: input.id.slice(0, -(code.length + 1)) };
        }
      });
    });
    return found;
  }

  function baseLabel(row, language) {
    var label = row.querySelector("label");
    var text = label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "";
    var name = labels.languages[language];
    return text.replace("（" + name + "）", "").replace(" (" + name + ")", "").trim();
  }

  var groups = [];
  var byId = {};
  document.querySelectorAll(".mt").forEach(function (input) {
    if (!input.id || input.closest(".empty-form") || input.closest(".tabular")) {
      return;
    }
    var field = fieldOf(input);
    var row = input.closest(".form-row");
    if (!field || !row) {
      return;
    }
    if (!byId[field.group]) {
      byId[field.group] = { id: field.group, members: [] };
      groups.push(byId[field.group]);
    }
    byId[field.group].members.push({ language: field.language, input: input, row: row });
  });
  if (!groups.length) {
    return;
  }

  function select(group, index, focus) {
    group.members.forEach(function (member, position) {
      var chosen = position === index;
      member.tab.setAttribute("aria-selected", chosen ? "true" : "false");
      member.tab.tabIndex = chosen ? 0 : -1;
      member.row.hidden = !chosen;
    });
    if (focus) {
      group.members[index].tab.focus();
    }
  }

  function selectLanguage(language) {
    groups.forEach(function (group) {
      group.members.forEach(function (member, index) {
        if (member.language === language) {
          select(group, index, false);
        }
      });
    });
  }

  var pageLanguage = (document.documentElement.lang || "").toLowerCase().split("-")[0];

  groups.forEach(function (group) {
    var first = group.members[0].row;
    var container = document.createElement("div");
    container.className = "translation-tabs";
    var list = document.createElement("div");
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", labels.tabs + ": " + baseLabel(first, group.members[0].language));
    container.appendChild(list);
    first.parentNode.insertBefore(container, first);

    var initial = -1;
    group.members.forEach(function (member, index) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.setAttribute("role", "tab");
      tab.id = "tab-" + member.input.id;
      tab.setAttribute("aria-controls", "panel-" + member.input.id);
      tab.textContent = labels.languages[member.language];
      tab.lang = member.language;
      if (member.row.classList.contains("errors")) {
        tab.classList.add("has-error");
        var warning = document.createElement("span");
        warning.className = "translation-tab-error";
        warning.textContent = " (" + labels.error + ")";
        tab.appendChild(warning);
        if (initial === -1) {
          initial = index;
        }
      }
      member.tab = tab;
      list.appendChild(tab);
      member.row.id = "panel-" + member.input.id;
      member.row.setAttribute("role", "tabpanel");
      member.row.setAttribute("aria-labelledby", tab.id);
      container.appendChild(member.row);

      tab.addEventListener("click", function () {
        select(group, index, false);
        switcher.value = member.language;
      });
      tab.addEventListener("keydown", function (event) {
        var count = group.members.length;
        var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: count - 1 }[event.key];
        if (next === undefined) {
          return;
        }
        event.preventDefault();
        next = (next + count) % count;
        select(group, next, true);
        switcher.value = group.members[next].language;
      });
    });
    if (initial === -1) {
      group.members.forEach(function (member, index) {
        if (initial === -1 && member.language === pageLanguage) {
          initial = index;
        }
      });
    }
    select(group, Math.max(initial, 0), false);
  });

  // One labelled menu for every field at once, under the page's title.
  var wrapper = document.createElement("div");
  wrapper.className = "translation-switch";
  var label = document.createElement("label");
  label.htmlFor = "translation-switch";
  label.textContent = labels.switch;
  var switcher = document.createElement("select");
  switcher.id = "translation-switch";
  codes.forEach(function (code) {
    var option = document.createElement("option");
    option.value = code;
    option.textContent = labels.languages[code];
    option.lang = code;
    switcher.appendChild(option);
  });
  switcher.value = codes.indexOf(pageLanguage) !== -1 ? pageLanguage : codes[0];
  switcher.addEventListener("change", function () { selectLanguage(switcher.value); });
  wrapper.appendChild(label);
  wrapper.appendChild(switcher);
  var form = document.querySelector("#content-main form");
  if (form) {
    form.parentNode.insertBefore(wrapper, form);
  }
}

// The admin loads this in the page's head: build the tabs once the form is there.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", translationTabs);
} else {
  translationTabs();
}
