// The import's progress page: polls the status endpoint and moves the bar; at the end it
// loads the result. Without this script the page reloads itself (meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) return;
  var bar = box.querySelector("[role=progressbar]");
  var fill = box.querySelector("[data-progress-bar]");
  var text = box.querySelector("[data-progress-text]");
  if (!bar || !fill) return;
  var refresh = document.querySelector('meta[http-equiv="refresh"]');
  if (refresh) refresh.remove(); // the script follows the import instead
  var template = text ? text.textContent.replace(/\d+/, "{done}").replace(/\d+/, "{total}") : "";

  function show(status) {
    var percent = status.total ? Math.floor((100 * status.done) / status.total) : 100;
    if (status.finished) percent = 100;
    fill.className = fill.className.replace(/\bw-\d+\b/g, "");
    fill.style.width = percent + "%";
    bar.setAttribute("aria-valuemax", status.total);
    bar.setAttribute("aria-valuenow", status.done);
    if (text) {
      text.textContent = template.replace("{done}", status.done).replace("{total}", status.total);
      bar.setAttribute("aria-valuetext", text.textContent);
    }
  }

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.finished) window.location.assign(box.dataset.resultUrl);
        else window.setTimeout(poll, 700);
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }
  poll();
})();
