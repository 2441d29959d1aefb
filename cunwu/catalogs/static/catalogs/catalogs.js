// Catalog pages: print buttons and focus after an htmx answer (no inline script: CSP script-src 'self').
(function () {
  function wirePrint(root) {
    root.querySelectorAll("[data-print]").forEach(function (button) {
      if (button.dataset.wired) { return; }
      button.dataset.wired = "1";
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }
  wirePrint(document);
  document.body.addEventListener("htmx:afterSwap", function (event) {
    wirePrint(event.target);
    var answer = document.getElementById("answer");
    if (answer) { answer.focus(); }
  });
})();
