// Live meeting mode: save entries without reloading, and show the others' changes.
// The page polls the agenda fragment with the revision it shows (and the keys of its
// layout and attendance): an unchanged meeting answers 304, a changed one sends only the
// entries changed since, or the whole agenda when entries were added, removed or moved.
// Entries that the user is editing are never replaced; a changed version is announced,
// and the fresh entry is put in place once the user leaves it unchanged.
// Each entry is one line; the current one (set by the moderator) and those the user opened
// come with their forms. Pages follow the moderator unless "browse freely" is chosen.
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
  const opened = new Set((root.dataset.open || "").split(",").filter(Boolean)); // entry ids
  let clockOffset = parseInt(root.dataset.serverNow || String(Date.now()), 10) - Date.now();

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
      current: data.current || "",
      timeboxSince: parseInt(data.timeboxSince || "0", 10),
      timeboxNetwork: data.timeboxNetwork || "",
      timeboxMinutes: parseInt(data.timeboxMinutes || "3", 10),
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
    ["quick-add", "live-close", "live-step", "live-hand-over"].forEach(function (id) {
      const element = document.getElementById(id);
      if (element) element.remove();
    });
    document.querySelectorAll("form.entry-current").forEach((form) => form.remove());
    document.body.classList.add("live-read-only");
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
    const focused = document.activeElement;
    const inForm = section.contains(focused) && !(focused.matches && focused.matches("a.line-open"));
    return section.dataset.dirty === "1" || inForm; // a line's link focused is no editing
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
    const previous = shown.current;
    shown = described;
    shown.previousCurrent = previous;
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
    applyFilter();
    follow(shown.previousCurrent);
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
    const before = shown.current;
    shown = described;
    showState(described);
    applyFilter();
    follow(before);
    return true;
  }

  function fragmentUrl() {
    const url = new URL(root.dataset.fragmentUrl, window.location.href);
    url.searchParams.set("since", String(shown.revision));
    url.searchParams.set("layout", shown.layout);
    url.searchParams.set("attendance", shown.attendance);
    if (opened.size) url.searchParams.set("open", Array.from(opened).join(","));
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
        learnClock(response);
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
    if (form.id === "live-step" || form.classList.contains("entry-current")) {
      event.preventDefault();
      const step = event.submitter && event.submitter.dataset.step;
      if (step) moveBy(parseInt(step, 10));
      else setCurrent(form.querySelector("[name=entry]").value);
      return;
    }
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

  // ---- One entry at a time: opening lines, following the moderator, the keys. ----

  function steering() {
    return document.getElementById("live-steering");
  }

  function isModerator() {
    const bar = steering();
    return Boolean(bar && bar.dataset.moderator) && !document.body.classList.contains("live-read-only");
  }

  function following() {
    const box = document.getElementById("live-follow");
    return !box || box.checked;
  }

  function lines() {
    return Array.from(document.querySelectorAll("#live-agenda section.live-entry"))
      .filter((section) => !section.hidden);
  }

  // The entry the keys act on: the one the user last opened, else the current one.
  function focusEntry() {
    const last = Array.from(opened).pop();
    return (last && document.getElementById("entry-" + last)) ||
      document.getElementById("entry-" + shown.current);
  }

  function follow(before) {
    if (shown.current === pendingCurrent) pendingCurrent = "";
    if (shown.current === before || !shown.current) return;
    if (!following() && !isModerator()) return;
    const section = document.getElementById("entry-" + shown.current);
    const typing = document.activeElement && document.activeElement.matches("input, textarea, select");
    if (section && !typing) section.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  function openEntry(section, scroll) {
    const link = section.querySelector("a.line-open");
    return fetch(link.dataset.url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : null))
      .then(function (html) {
        if (html === null) return;
        const fresh = parse(html).firstElementChild;
        const local = document.getElementById(section.id);
        if (!fresh || !local) return;
        const top = local.querySelector(".top-number");
        if (top) fresh.querySelector(".top-number").textContent = top.textContent;
        local.replaceWith(fresh);
        opened.delete(fresh.dataset.entry);
        opened.add(fresh.dataset.entry);
        while (opened.size > 5) opened.delete(opened.values().next().value);
        if (scroll) fresh.scrollIntoView({ block: "center" });
        fresh.querySelector("a.line-open").focus({ preventScroll: true });
      });
  }

  function closeEntry(section) {
    const body = section.querySelector(".entry-body");
    if (body) body.remove();
    section.classList.remove("expanded");
    section.querySelector("a.line-open").setAttribute("aria-expanded", "false");
    opened.delete(section.dataset.entry);
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest("a.line-open");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    const section = link.closest("section.live-entry");
    if (section.classList.contains("current")) return section.scrollIntoView({ block: "center" });
    if (section.classList.contains("expanded")) closeEntry(section);
    else openEntry(section, false);
  });

  let pendingCurrent = ""; // asked for, not yet shown: a second j moves on from it

  let steps = Promise.resolve(); // the moderator's moves, sent one after the other, in order

  function setCurrent(entryId) {
    const bar = steering();
    if (!bar || !entryId) return;
    pendingCurrent = String(entryId);
    const data = new FormData();
    data.set("entry", entryId);
    data.set("csrf_token", bar.querySelector("[name=csrf_token]").value);
    steps = steps.then(() => fetch(bar.dataset.currentUrl, {
      method: "POST", body: data, headers: { "X-Requested-With": "fetch" }, credentials: "same-origin",
    })).then(function (response) {
      if (!response.ok) {
        pendingCurrent = "";
        return errorMessage(response).then((message) => showError(bar, message));
      }
      saves += 1;
      poll();
    }).catch(function () {
      pendingCurrent = "";
    });
  }

  // The moderator moves the meeting; everyone else moves through the agenda on their own.
  function moveBy(step) {
    const all = lines();
    if (!all.length) return;
    const from = isModerator() ?
      document.getElementById("entry-" + (pendingCurrent || shown.current)) : focusEntry();
    let index = all.indexOf(from);
    index = index === -1 ? (step > 0 ? 0 : all.length - 1) : index + step;
    const target = all[Math.max(0, Math.min(all.length - 1, index))];
    if (!target || target === from) return;
    if (isModerator()) return setCurrent(target.dataset.entry);
    const box = document.getElementById("live-follow");
    if (box) box.checked = false; // moving on one's own is browsing freely
    if (from && from !== document.getElementById("entry-" + shown.current) && from.dataset.dirty !== "1") {
      closeEntry(from);
    }
    if (target.classList.contains("expanded")) {
      opened.delete(target.dataset.entry);
      opened.add(target.dataset.entry);
      target.scrollIntoView({ block: "center" });
      target.querySelector("a.line-open").focus({ preventScroll: true });
    } else {
      openEntry(target, true);
    }
  }

  function markDiscussed() {
    const section = focusEntry();
    const box = section && section.querySelector("form.entry-outcome input[name=discussed]");
    if (!box || box.disabled) return;
    box.checked = true;
    box.form.requestSubmit();
  }

  function showHelp() {
    const help = document.getElementById("live-help");
    if (help && !help.open) help.showModal();
  }

  function quickAdd() {
    const title = document.querySelector("#quick-add [name=title]");
    if (title) title.focus();
  }

  const KEYS = { j: () => moveBy(1), k: () => moveBy(-1), d: markDiscussed, q: quickAdd, "/": quickAdd, "?": showHelp };

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable], dialog")) return;
    const action = KEYS[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("#live-help-button")) showHelp();
  });

  // ---- Filter and time box. ----

  function applyFilter() {
    const select = document.getElementById("live-filter");
    const chosen = select ? select.value : "";
    document.querySelectorAll("#live-agenda section.live-entry, #live-agenda .network-group")
      .forEach(function (element) {
        element.hidden = Boolean(chosen) && element.dataset.network !== chosen;
      });
  }

  document.addEventListener("change", function (event) {
    if (event.target.id === "live-filter") applyFilter();
  });

  function learnClock(response) {
    const now = parseInt(response.headers.get("X-Server-Now") || "", 10);
    if (now) clockOffset = now - Date.now();
  }

  function minutes(millis) {
    const seconds = Math.max(0, Math.floor(millis / 1000));
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }

  function tick() {
    const box = document.getElementById("live-timebox");
    if (!box) return;
    const running = shown.timeboxSince && shown.status === "in_progress" || shown.timeboxSince && shown.status === "planned";
    box.hidden = !running;
    if (!running) return;
    const elapsed = Date.now() + clockOffset - shown.timeboxSince;
    const limit = shown.timeboxMinutes * 60000;
    const over = elapsed >= limit;
    box.textContent = box.dataset.label.replace("{network}", shown.timeboxNetwork)
      .replace("{time}", minutes(elapsed)).replace("{limit}", minutes(limit)) +
      (over ? " – " + box.dataset.over : "");
    box.classList.toggle("text-bg-warning", over);
    box.classList.toggle("text-bg-light", !over);
  }

  setInterval(tick, 1000);
  tick();
  applyFilter();

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
