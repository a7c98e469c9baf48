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

  function merge(fresh) {
    const current = agenda();
    const sections = current.querySelectorAll("section.live-entry");
    const editing = Array.from(sections).some(isDirty) ||
      current.querySelector(".attendance").contains(document.activeElement);
    if (!editing) {
      current.replaceWith(fresh);
      return;
    }
    // Someone is typing: replace only the entries nobody edits here, keep the rest.
    fresh.querySelectorAll("section.live-entry").forEach(function (incoming) {
      const local = document.getElementById(incoming.id);
      if (!local) return;
      if (!isDirty(local)) {
        local.replaceWith(incoming);
      } else if (local.dataset.version !== incoming.dataset.version) {
        local.classList.add("border-warning");
        local.dataset.stale = "1";
      }
    });
  }

  function poll() {
    if (busy || document.hidden) return;
    busy = true;
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
        if (html !== null) {
          const fresh = parse(html).firstElementChild;
          if (fresh) merge(fresh);
        }
        setStatus("checking");
      })
      .catch(function () {
        setStatus("offline");
      })
      .finally(function () {
        busy = false;
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

  function showError(section, message) {
    let box = section.querySelector(".live-error");
    if (!box) {
      box = document.createElement("div");
      box.className = "alert alert-danger py-1 small live-error";
      box.setAttribute("role", "alert");
      section.querySelector(".card-body").prepend(box);
    }
    box.textContent = message;
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
    const submitter = event.submitter;
    send(form, submitter).then(function (response) {
      if (form.id === "quick-add") return quickAdded(form, response);
      const type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== -1) {
        return response.json().then(function (body) {
          showError(section, (body.error && body.error.message) || String(response.status));
        });
      }
      return response.text().then(function (html) {
        const fresh = parse(html).firstElementChild;
        const top = section.querySelector(".top-number");
        if (fresh && top) fresh.querySelector(".top-number").textContent = top.textContent;
        section.replaceWith(fresh);
        if (response.status === 409) fresh.dataset.dirty = "1";
        etag = null;
        poll();
      });
    }).catch(function () {
      showError(section || form, "—");
    });
  });

  function quickAdded(form, response) {
    const result = document.getElementById("quick-add-result");
    return response.json().then(function (body) {
      if (!response.ok) {
        result.textContent = (body.error && body.error.message) || String(response.status);
        return;
      }
      result.textContent = body.reference;
      form.querySelector("[name=title]").value = "";
      form.querySelector("[name=company_name]").value = "";
      form.querySelector("[name=title]").focus();
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
