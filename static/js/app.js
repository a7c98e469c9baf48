// Bedarfsregister: company suggestions, duplicate hints, drafts that survive errors.
(function () {
  "use strict";

  const FETCH = { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } };

  function debounce(fn, ms) {
    let timer;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  // A background request whose session has ended answers 401: show nothing.
  function usable(response) {
    return response.ok && !response.redirected;
  }

  function setupItemForm(form) {
    const company = form.querySelector("#company_name");
    const title = form.querySelector("#title");
    const list = form.querySelector("#company-suggestions");
    const box = form.querySelector("#duplicates");
    if (!company || !title || !box) return;
    company.setAttribute("list", "company-suggestions");
    company.setAttribute("autocomplete", "organization");

    const suggest = debounce(function () {
      const q = company.value.trim();
      if (q.length < 2) return;
      fetch(box.dataset.suggestUrl + "?q=" + encodeURIComponent(q), FETCH)
        .then((r) => (usable(r) ? r.json() : { names: [] }))
        .then((data) => {
          list.replaceChildren(...data.names.map((name) => new Option(name)));
        })
        .catch(() => {});
    }, 200);

    const check = debounce(function () {
      const params = new URLSearchParams({ company_name: company.value, title: title.value });
      if (box.dataset.exclude) params.set("exclude", box.dataset.exclude);
      fetch(box.dataset.url + "?" + params.toString(), FETCH)
        .then((r) => (usable(r) ? r.text() : ""))
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

  // Drafts: what is typed into a form marked keep-draft is kept in this browser tab until
  // the server confirms a save, so an expired session or form token loses nothing.
  const SKIP = ["csrf_token", "version", "password", "current_password", "confirm"];

  function draftKey(form) {
    return "draft:" + form.getAttribute("action");
  }

  function fields(form) {
    return Array.from(form.elements).filter(
      (el) => el.name && SKIP.indexOf(el.name) === -1 && el.type !== "hidden" &&
        el.type !== "submit" && el.type !== "button" && el.type !== "file"
    );
  }

  function saveDraft(form, submitted) {
    const values = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        values[el.name + "=" + el.value] = el.checked;
      } else {
        values[el.name] = el.value;
      }
    });
    sessionStorage.setItem(draftKey(form), JSON.stringify({ values: values, submitted: submitted }));
  }

  // A form the server sent back with the user's input (errors, conflict) is not refilled.
  function isFresh(form) {
    return !form.querySelector(".is-invalid, .alert");
  }

  // Fill the fields that came back empty; the browser may have restored some by itself.
  function restoreDraft(form) {
    const raw = sessionStorage.getItem(draftKey(form));
    if (!raw || !isFresh(form)) return;
    const draft = JSON.parse(raw);
    let restored = false;
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        const key = el.name + "=" + el.value;
        if (key in draft.values && el.checked !== draft.values[key]) {
          el.checked = draft.values[key];
          restored = true;
        }
      } else if (el.name in draft.values && !el.value && draft.values[el.name]) {
        el.value = draft.values[el.name];
        restored = true;
      }
    });
    if (!restored) return;
    const note = document.createElement("div");
    note.className = "alert alert-info py-1 small draft-restored";
    note.setAttribute("role", "status");
    note.textContent = form.dataset.draftRestored || "";
    form.prepend(note);
  }

  if (document.querySelector(".alert-success")) {
    Object.keys(sessionStorage).forEach(function (key) {
      if (key.indexOf("draft:") !== 0) return;
      const draft = JSON.parse(sessionStorage.getItem(key) || "{}");
      if (draft.submitted) sessionStorage.removeItem(key);
    });
  }

  // Drafts belong to the person logged in: logging out drops them, so on a shared computer
  // the next person does not find them. The login page drops leftovers too, unless it was
  // reached with a page to return to (a session that ended mid-work keeps its draft).
  function clearDrafts() {
    Object.keys(sessionStorage).forEach(function (key) {
      if (key.indexOf("draft:") === 0) sessionStorage.removeItem(key);
    });
  }

  document.querySelectorAll("form[action$='/logout'], form[data-ends-session]").forEach(
    (form) => form.addEventListener("submit", clearDrafts)
  );
  if (document.querySelector("form[data-clear-drafts]")) clearDrafts();

  document.querySelectorAll("form.keep-draft").forEach(function (form) {
    restoreDraft(form);
    form.addEventListener("input", () => saveDraft(form, false));
    form.addEventListener("submit", () => saveDraft(form, true));
  });

  // Buttons with data-confirm ask before their form is sent.
  document.addEventListener("submit", function (event) {
    const button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
