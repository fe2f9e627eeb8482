/* Category filter of the history timeline. Without this script the full list stays visible;
   with it, unchecked categories are hidden. Runs on every page view, including instant navigation. */
(function () {
  "use strict";

  function setUp(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = "1";
    var scope = form.closest("article") || document;
    var items = Array.prototype.slice.call(scope.querySelectorAll("li.atlas-event[data-category]"));
    var years = Array.prototype.slice.call(scope.querySelectorAll("section.atlas-year"));
    var boxes = Array.prototype.slice.call(form.querySelectorAll('input[name="category"]'));
    var status = form.querySelector(".atlas-filter__status");

    function apply() {
      var shown = {};
      boxes.forEach(function (b) { if (b.checked) shown[b.value] = true; });
      var visible = 0;
      items.forEach(function (li) {
        var on = shown[li.getAttribute("data-category")] === true;
        li.hidden = !on;
        if (on) visible += 1;
      });
      years.forEach(function (section) {
        section.hidden = !section.querySelector("li.atlas-event:not([hidden])");
      });
      if (status) status.textContent = "전체 " + items.length + "건 중 " + visible + "건 표시";
    }

    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    var all = form.querySelector("[data-atlas-filter-all]");
    if (all) {
      all.addEventListener("click", function () {
        boxes.forEach(function (b) { b.checked = true; });
        apply();
      });
    }
    form.hidden = false;
    apply();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-atlas-filter]"), setUp);
  }

  // Material's document$ emits on the first load and after every instant navigation.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
