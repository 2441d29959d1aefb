// 找村: remember the last village or township opened from the search (on this device only, never sent),
// and offer it again on the portal home and the search page. Progressive: the pages work without it.
(function () {
  "use strict";
  var KEY = "cunwu.lastPlace";
  function read() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }
  function save(link) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify({
        code: link.dataset.placeCode, path: link.dataset.placePath, url: link.getAttribute("href")
      }));
    } catch (e) { /* storage full or disabled: nothing to remember */ }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("a[data-place-code]").forEach(function (link) {
      link.addEventListener("click", function () { save(link); });
    });
    var last = read();
    var box = document.getElementById("last-place");
    if (!box || !last || !last.url || !/^\/[a-z]/.test(last.url) || !/^[0-9]{12}$/.test(last.code || "")) { return; }
    var link = box.querySelector("[data-last-place-link]");
    link.textContent = last.path || last.code;
    link.setAttribute("href", last.url);
    box.hidden = false;
  });
})();
