// The draw "verify" form posts the candidate list exactly as the page displays it, so an
// edited list (one quote, one agency) is what the server re-computes, and fails.
document.body.addEventListener("htmx:configRequest", function (evt) {
  var form = evt.detail.elt;
  if (!form.matches || !form.matches("[data-verify-draw]")) return;
  var rows = document.querySelectorAll(form.getAttribute("data-verify-draw") + " tbody tr");
  var entries = Array.prototype.map.call(rows, function (row) {
    var entry = {};
    row.querySelectorAll("[data-key]").forEach(function (cell) {
      var text = cell.textContent.trim();
      entry[cell.getAttribute("data-key")] = cell.getAttribute("data-type") === "int" ? parseInt(text, 10) : text;
    });
    return entry;
  });
  evt.detail.parameters["entries"] = JSON.stringify(entries);
});
