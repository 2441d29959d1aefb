// cunwu: the only script of our own (CSP: script-src 'self'). Progressive: every page works without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var wide = window.matchMedia("(min-width: 900px)");
  function syncMenu() {
    // On wide screens the menu is a bar that is always open; on phones it folds behind 菜单.
    document.querySelectorAll("details.menu").forEach(function (menu) {
      if (wide.matches) { menu.setAttribute("open", ""); } else if (!menu.dataset.touched) { menu.removeAttribute("open"); }
    });
    // Staff menu groups: on wide screens they are drop-downs, shut until asked; on phones every heading
    // shows its entries. The group holding the current page is marked either way.
    document.querySelectorAll("details.menu-group").forEach(function (group) {
      if (group.querySelector("a[aria-current='page']")) { group.classList.add("current"); }
      if (wide.matches) { group.removeAttribute("open"); } else { group.setAttribute("open", ""); }
    });
  }
  function closeGroups(except) {
    if (!wide.matches) { return; }
    document.querySelectorAll("details.menu-group[open]").forEach(function (group) {
      if (group !== except) { group.removeAttribute("open"); }
    });
  }
  function focusErrorSummary() {
    // A failed submit: the summary at the top takes focus (and so the screen reader and the eye).
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    syncMenu();
    focusErrorSummary();
    // A summary line moves to its field and focuses it, also for fields inside a closed <details>.
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
      if (!link) { return; }
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      event.preventDefault();
      var details = field.closest("details");
      if (details) { details.setAttribute("open", ""); }
      field.focus();
      field.scrollIntoView({ block: "center" });
    });
    document.querySelectorAll("details.menu > summary").forEach(function (summary) {
      summary.addEventListener("click", function () { summary.parentElement.dataset.touched = "1"; });
    });
    // One drop-down open at a time; a click elsewhere shuts it.
    document.querySelectorAll("details.menu-group").forEach(function (group) {
      group.addEventListener("toggle", function () { if (group.open) { closeGroups(group); } });
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest || !event.target.closest("details.menu-group")) { closeGroups(null); }
    });
    // Escape shuts an open drop-down and gives focus back to its heading.
    document.addEventListener("keydown", function (event) {
      var open = wide.matches && document.querySelector("details.menu-group[open]");
      if (event.key === "Escape" && open) {
        open.removeAttribute("open");
        open.querySelector("summary").focus();
      }
    });
    // Close the phone menu with Escape and give focus back to its toggle.
    document.addEventListener("keydown", function (event) {
      var menu = document.querySelector("details.menu[open]");
      if (event.key === "Escape" && menu && !wide.matches) {
        menu.removeAttribute("open");
        menu.querySelector("summary").focus();
      }
    });
  });
  // An answer fetched by htmx (the screening result) takes focus and comes into view when it arrives.
  document.addEventListener("htmx:afterSwap", function (event) {
    var answer = event.detail.target.querySelector("[data-focus-on-arrival]");
    if (answer) {
      answer.focus();
      answer.scrollIntoView({ block: "start" });
    }
  });
  if (wide.addEventListener) { wide.addEventListener("change", syncMenu); }
})();
