// Progressive enhancement of the mediators' pages: the pages work without it.
// - the door list filters as you type;
// - a tap (present / absent) is sent in the background and the row updates in place.
(function () {
  "use strict";
  var search = document.querySelector("input[data-filter]");
  if (search) {
    search.addEventListener("input", function () {
      var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      document.querySelectorAll(search.dataset.filter).forEach(function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (word) { return text.indexOf(word) !== -1; });
      });
    });
  }
  function onTap(event) {
    var form = event.currentTarget;
    if (!window.fetch || !window.DOMParser) { return; }
    event.preventDefault();
    var row = form.closest(".checkin-row");
    form.querySelector("button").disabled = true;
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById(row.id);
        if (fresh) { row.replaceWith(fresh); wire(fresh); }
        var counts = page.querySelector("[data-counts]");
        var current = document.querySelector("[data-counts]");
        if (counts && current) { current.textContent = counts.textContent; }
      })
      .catch(function () { form.submit(); });
  }
  function wire(root) {
    root.querySelectorAll("form[data-tap]").forEach(function (form) {
      form.addEventListener("submit", onTap);
    });
  }
  wire(document);
}());
