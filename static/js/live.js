// Live meeting mode: save entries without reloading, and show the others' changes.
// The page polls the agenda fragment with If-None-Match; an unchanged meeting answers 304.
// Entries that the user is editing are never replaced; a changed version is announced.
(function () {
  "use strict";

  const root = document.getElementById("live-root");
  if (!root) return;
  const status = document.getElementById("live-status");
  const interval = parseInt(root.dataset.interval || "2500", 10);
  let etag = null;
  let busy = false;
  let saves = 0; // counts answered saves: polls that started before one are not shown
  let newest = parseInt((agenda() && agenda().dataset.revision) || "0", 10);

  function agenda() {
    return document.getElementById("live-agenda");
  }

  function isDirty(section) {
    return section.dataset.dirty === "1" || section.contains(document.activeElement);
  }

  function parse(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content;
  }

  function setStatus(key) {
    if (!status) return;
    const time = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    status.textContent = (status.dataset[key] || "") + " " + time;
  }

  // Put the fresh agenda in place; entries being edited here move into it unchanged, so
  // new, removed and reordered entries arrive while nobody loses what they typed.
  function merge(fresh) {
    const current = agenda();
    const revision = parseInt(fresh.dataset.revision || "0", 10);
    if (revision < newest) return;
    newest = revision;
    const focused = document.activeElement;
    const caret = focused && "selectionStart" in focused ?
      [focused.selectionStart, focused.selectionEnd] : null;
    current.querySelectorAll("section.live-entry").forEach(function (local) {
      if (!isDirty(local)) return;
      const incoming = fresh.querySelector("#" + local.id);
      if (!incoming) return;
      if (local.dataset.version !== incoming.dataset.version) {
        local.classList.add("border-warning");
        local.dataset.stale = "1";
      }
      incoming.replaceWith(local);
    });
    const attendance = current.querySelector(".attendance");
    if (attendance && attendance.contains(focused)) {
      fresh.querySelector(".attendance").replaceWith(attendance);
    }
    current.replaceWith(fresh);
    if (focused && document.body.contains(focused)) {
      focused.focus();
      if (caret) focused.setSelectionRange(caret[0], caret[1]);
    }
  }

  function poll() {
    if (busy || document.hidden) return;
    busy = true;
    const started = saves;
    const headers = { "X-Requested-With": "fetch" };
    if (etag) headers["If-None-Match"] = etag;
    fetch(root.dataset.fragmentUrl, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 304) return null;
        if (!response.ok) throw new Error(String(response.status));
        etag = response.headers.get("ETag");
        return response.text();
      })
      .then(function (html) {
        // An answer that started before a save may show the entry as it was: ask again.
        if (html !== null && started === saves) {
          const fresh = parse(html).firstElementChild;
          if (fresh) merge(fresh);
        } else if (html !== null) {
          etag = null;
        }
        setStatus("checking");
      })
      .catch(function () {
        setStatus("offline");
      })
      .finally(function () {
        busy = false;
        if (started !== saves) setTimeout(poll, 0);
      });
  }

  function send(form, submitter) {
    const data = new FormData(form, submitter);
    return fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
  }

  function showError(place, message) {
    let box = place.querySelector(".live-error");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-danger py-1 small live-error";
      box.setAttribute("role", "alert");
      (place.querySelector(".card-body") || place).prepend(box);
    }
    box.textContent = message;
  }

  function errorMessage(response) {
    const type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") === -1) return Promise.resolve(String(response.status));
    return response.json().then(function (body) {
      return (body.error && body.error.message) || String(response.status);
    });
  }

  document.addEventListener("input", function (event) {
    const section = event.target.closest("section.live-entry");
    if (section) section.dataset.dirty = "1";
  });

  document.addEventListener("submit", function (event) {
    const form = event.target;
    const section = form.closest("section.live-entry");
    if (!section && form.id !== "quick-add") return;
    event.preventDefault();
    send(form, event.submitter).then(function (response) {
      if (form.id === "quick-add") return quickAdded(form, response);
      const type = response.headers.get("Content-Type") || "";
      if ((response.status !== 200 && response.status !== 409) || type.indexOf("text/html") === -1) {
        // Refused (meeting closed, session ended, ...): keep the input and say why.
        return errorMessage(response).then((message) => showError(section, message));
      }
      return response.text().then(function (html) {
        const fresh = parse(html).firstElementChild;
        if (!fresh || !fresh.matches("section.live-entry")) {
          showError(section, String(response.status));
          return;
        }
        const top = section.querySelector(".top-number");
        if (top) fresh.querySelector(".top-number").textContent = top.textContent;
        section.replaceWith(fresh);
        if (response.status === 409) fresh.dataset.dirty = "1";
        saves += 1;
        etag = null;
        poll();
      });
    }).catch(function () {
      showError(section || form, "—");
    });
  });

  function quickAdded(form, response) {
    const result = document.getElementById("quick-add-result");
    if (!response.ok) {
      return errorMessage(response).then(function (message) {
        result.textContent = message;
      });
    }
    return response.json().then(function (body) {
      result.textContent = body.reference;
      form.querySelector("[name=title]").value = "";
      form.querySelector("[name=company_name]").value = "";
      form.querySelector("[name=title]").focus();
      saves += 1;
      etag = null;
      poll();
    });
  }

  document.addEventListener("change", function (event) {
    const form = event.target.closest("form.attendance-form");
    if (!form) return;
    send(form).then(function () {
      etag = null;
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.form) {
      event.preventDefault();
      event.target.form.requestSubmit();
    }
  });

  setInterval(poll, interval);
  document.addEventListener("visibilitychange", poll);
})();
