// Live meeting mode: save entries without reloading, and show the others' changes.
// The page polls the agenda fragment with the revision it shows (and the keys of its
// layout and attendance): an unchanged meeting answers 304, a changed one sends only the
// entries changed since, or the whole agenda when entries were added, removed or moved.
// Entries that the user is editing are never replaced; a changed version is announced,
// and the fresh entry is put in place once the user leaves it unchanged.
(function () {
  "use strict";

  const root = document.getElementById("live-root");
  if (!root) return;
  const status = document.getElementById("live-status");
  const interval = parseInt(root.dataset.interval || "2500", 10);
  let busy = false;
  let saves = 0; // counts answered saves: polls that started before one are not shown
  let shown = describe(agenda()); // what the page shows: revision, layout and attendance keys
  const held = new Map(); // element id -> fresh element, kept back while the user edits it

  function agenda() {
    return document.getElementById("live-agenda");
  }

  function describe(element) {
    const data = (element && element.dataset) || {};
    return {
      revision: parseInt(data.revision || "0", 10),
      layout: data.layout || "",
      attendance: data.attendance || "",
      status: data.status || "",
      statusLabel: data.statusLabel || "",
    };
  }

  // The meeting's state comes with every answer: once it is no longer running (closed by
  // the moderator, cancelled), the page says so and offers nothing that would be refused.
  function showState(described) {
    if (!described.status) return;
    const badge = document.getElementById("live-meeting-status");
    if (badge && described.statusLabel) {
      badge.textContent = described.statusLabel;
      badge.className = badge.className.replace(/\bmeeting-\S+/, "meeting-" + described.status);
    }
    if (described.status === "in_progress" || described.status === "planned") return;
    ["quick-add", "live-close"].forEach(function (id) {
      const element = document.getElementById(id);
      if (element) element.remove();
    });
    const notice = document.getElementById("live-closed");
    if (notice) notice.classList.remove("d-none");
    document.querySelectorAll("#live-agenda form").forEach(function (form) {
      form.querySelectorAll("button, input, select, textarea").forEach(function (control) {
        if (control.type !== "hidden") control.disabled = !control.matches("textarea");
        if (control.matches("textarea")) control.readOnly = true; // the text stays to copy
      });
    });
  }

  function isDirty(section) {
    return section.dataset.dirty === "1" || section.contains(document.activeElement);
  }

  // Keep the fresh version of an element the user is in; announce a changed entry.
  function hold(local, incoming) {
    if (incoming.dataset.version && local.dataset.version !== incoming.dataset.version) {
      local.classList.add("border-warning");
      local.dataset.stale = "1";
    }
    held.set(local.id, incoming);
  }

  function isEditing(element) {
    return element.matches("section.live-entry") ? isDirty(element) :
      element.contains(document.activeElement);
  }

  // Put held elements in place once the user has left them without typing.
  function release() {
    held.forEach(function (incoming, id) {
      const local = document.getElementById(id);
      if (!local) {
        held.delete(id);
      } else if (!isEditing(local)) {
        local.replaceWith(incoming);
        held.delete(id);
      }
    });
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
    const described = describe(fresh);
    if (described.revision < shown.revision) return;
    shown = described;
    held.clear();
    const focused = document.activeElement;
    const caret = focused && "selectionStart" in focused ?
      [focused.selectionStart, focused.selectionEnd] : null;
    current.querySelectorAll("section.live-entry").forEach(function (local) {
      if (!isDirty(local)) return;
      const incoming = fresh.querySelector("#" + local.id);
      if (!incoming) return;
      incoming.replaceWith(local);
      hold(local, incoming);
    });
    const attendance = current.querySelector("#live-attendance");
    if (attendance && attendance.contains(focused)) {
      const incoming = fresh.querySelector("#live-attendance");
      incoming.replaceWith(attendance);
      hold(attendance, incoming);
    }
    current.replaceWith(fresh);
    showState(described);
    if (focused && document.body.contains(focused)) {
      focused.focus();
      if (caret) focused.setSelectionRange(caret[0], caret[1]);
    }
  }

  // Put the changed entries (and the attendance) in place, each where it is on the page.
  // Returns false when one is missing here: then the page asks for the whole agenda.
  function apply(changes) {
    const described = describe(changes);
    if (described.revision < shown.revision) return true;
    const incoming = Array.from(changes.children);
    if (!incoming.every((element) => element.id && document.getElementById(element.id))) {
      return false;
    }
    incoming.forEach(function (element) {
      const local = document.getElementById(element.id);
      if (isEditing(local)) {
        hold(local, element);
      } else {
        local.replaceWith(element);
        held.delete(element.id);
      }
    });
    shown = described;
    showState(described);
    return true;
  }

  function fragmentUrl() {
    const url = new URL(root.dataset.fragmentUrl, window.location.href);
    url.searchParams.set("since", String(shown.revision));
    url.searchParams.set("layout", shown.layout);
    url.searchParams.set("attendance", shown.attendance);
    return url;
  }

  // Show an answer of the fragment URL; false if it cannot be shown (ask for all then).
  function show(html) {
    const fresh = parse(html).firstElementChild;
    if (!fresh) return true;
    if (fresh.id === "live-changes") return apply(fresh);
    merge(fresh);
    return true;
  }

  function poll() {
    if (busy || document.hidden) return;
    busy = true;
    const started = saves;
    let again = false;
    const headers = { "X-Requested-With": "fetch" };
    fetch(fragmentUrl(), { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 304) return null;
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        // An answer that started before a save may show the entry as it was: ask again.
        if (html !== null && started === saves && !show(html)) {
          shown.layout = ""; // an unknown layout brings the whole agenda
          again = true;
        }
        setStatus("checking");
      })
      .catch(function () {
        setStatus("offline");
      })
      .finally(function () {
        busy = false;
        if (again || started !== saves) setTimeout(poll, 0);
      });
  }

  // The form's address as written: a control named "action" (the lifecycle buttons)
  // shadows form.action, which would then be that control, not the URL.
  function target(form, submitter) {
    const own = submitter && submitter.getAttribute("formaction");
    return new URL(own || form.getAttribute("action") || "", window.location.href);
  }

  function send(form, submitter) {
    const data = new FormData(form, submitter);
    return fetch(target(form, submitter), {
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
    return answerOf(response).then((error) => error.message || String(response.status));
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
        held.delete(fresh.id);
        if (response.status === 409) fresh.dataset.dirty = "1";
        saves += 1;
        poll();
      });
    }).catch(function () {
      showError(section || form, "—");
    });
  });

  // A quick-add answered: the new item's reference, or why not. An open item of the same
  // company with the same title is named first; sending again adds the item anyway.
  function quickAdded(form, response) {
    const result = document.getElementById("quick-add-result");
    const again = form.querySelector("[name=allow_duplicate]");
    if (!response.ok) {
      return answerOf(response).then(function (error) {
        showResult(result, error.message, error.url, "text-danger");
        if (error.duplicate && again) again.value = "y";
      });
    }
    return response.json().then(function (body) {
      form.reset(); // back to the defaults: the next item is not given this one's kind or network
      const key = form.querySelector("[name=submission_key]");
      if (key && body.next_key) key.value = body.next_key; // the next item is a new form
      const box = document.getElementById("duplicates");
      if (box) box.replaceChildren();
      showResult(result, body.message || body.reference, body.url, "text-success");
      result.dataset.reference = body.reference;
      form.querySelector("[name=title]").focus();
      saves += 1;
      poll();
    });
  }

  function showResult(place, message, url, style) {
    place.className = "col-12 small " + style;
    place.replaceChildren(document.createTextNode(message + " "));
    if (url) {
      const link = document.createElement("a");
      link.href = url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = place.dataset.open || "↗";
      place.append(link);
    }
  }

  function answerOf(response) {
    const type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") === -1) {
      return Promise.resolve({ message: String(response.status) });
    }
    return response.json().then((body) => body.error || { message: String(response.status) });
  }

  // Typing a new title or company after a duplicate warning asks again.
  document.addEventListener("input", function (event) {
    const form = event.target.form;
    if (!form || form.id !== "quick-add" || event.target.type === "hidden") return;
    const again = form.querySelector("[name=allow_duplicate]");
    if (again && again.value) {
      again.value = "";
    }
  });

  document.addEventListener("change", function (event) {
    const form = event.target.closest("form.attendance-form");
    if (form) send(form);
  });

  document.addEventListener("focusout", function () {
    if (held.size) setTimeout(release, 0); // once focus has moved on
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.form) {
      event.preventDefault();
      event.target.form.requestSubmit();
    }
  });

  // Each entry's owner select comes empty; the people are in the page once, in a
  // <template>, and are copied into every select the page gets, now or by a later answer.
  function fillPeople() {
    const people = document.getElementById("people-options");
    if (!people) return;
    root.querySelectorAll("select[data-people]").forEach(function (select) {
      if (select.options.length <= 1) select.append(people.content.cloneNode(true));
    });
  }

  fillPeople();
  new MutationObserver(fillPeople).observe(root, { childList: true, subtree: true });
  setInterval(poll, interval);
  document.addEventListener("visibilitychange", poll);
})();
