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
  }
  document.addEventListener("DOMContentLoaded", function () {
    syncMenu();
    document.querySelectorAll("details.menu > summary").forEach(function (summary) {
      summary.addEventListener("click", function () { summary.parentElement.dataset.touched = "1"; });
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
  if (wide.addEventListener) { wide.addEventListener("change", syncMenu); }
})();
