// Bedarfsregister: company suggestions and duplicate hints on the item form.
(function () {
  "use strict";

  function debounce(fn, ms) {
    let timer;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  function setupItemForm(form) {
    const company = form.querySelector("#company_name");
    const title = form.querySelector("#title");
    const list = form.querySelector("#company-suggestions");
    const box = form.querySelector("#duplicates");
    if (!company || !title || !box) return;
    company.setAttribute("list", "company-suggestions");
    company.setAttribute("autocomplete", "off");

    const suggest = debounce(function () {
      const q = company.value.trim();
      if (q.length < 2) return;
      fetch("/companies/suggest?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : { names: [] }))
        .then((data) => {
          list.replaceChildren(...data.names.map((name) => new Option(name)));
        })
        .catch(() => {});
    }, 200);

    const check = debounce(function () {
      const params = new URLSearchParams({ company_name: company.value, title: title.value });
      if (box.dataset.exclude) params.set("exclude", box.dataset.exclude);
      fetch(box.dataset.url + "?" + params.toString(), { credentials: "same-origin" })
        .then((r) => (r.ok ? r.text() : ""))
        .then((html) => {
          box.innerHTML = html;
        })
        .catch(() => {});
    }, 350);

    company.addEventListener("input", suggest);
    company.addEventListener("input", check);
    company.addEventListener("change", check);
    title.addEventListener("input", check);
    if (company.value || title.value) check();
  }

  document.querySelectorAll("form.item-form").forEach(setupItemForm);

  // Buttons with data-confirm ask before their form is sent.
  document.addEventListener("submit", function (event) {
    const button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
