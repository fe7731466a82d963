// The event form shows the fields of the chosen kind only (working group, residents' voices,
// mediation-day track): each wrapper names its kinds in data-event-kinds. Without JavaScript
// every field stays visible.
(function () {
  "use strict";
  function apply(kind) {
    document.querySelectorAll("[data-event-kinds]").forEach(function (wrapper) {
      var kinds = wrapper.getAttribute("data-event-kinds").split(" ");
      wrapper.style.display = kinds.indexOf(kind.value) === -1 ? "none" : "";
    });
  }
  function start() {
    var kind = document.getElementById("id_kind");
    if (!kind) return;
    kind.addEventListener("change", function () { apply(kind); });
    apply(kind);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
