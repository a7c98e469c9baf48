// @-mentions in the comment field: after "@" and a letter or two, the people who may see
// the item are offered below the field; arrow keys choose, Enter or Tab (or a click) puts
// "@Name " into the text, Escape closes the list. The server decides who is mentioned.
(function () {
  "use strict";
  var form = document.querySelector("form.mention-form");
  if (!form) return;
  var field = form.querySelector("textarea");
  var list = document.getElementById("mention-list");
  var url = form.dataset.mentionsUrl;
  var chosen = -1, people = [], start = -1, asked = 0;

  function query() {
    var before = field.value.slice(0, field.selectionStart);
    var found = /(^|[\s(\["'„“])@([^\s@]{1,40}(?: [^\s@]{0,40})?)$/.exec(before);
    if (!found) return null;
    start = before.length - found[2].length - 1;
    return found[2];
  }
  function close() {
    list.hidden = true;
    list.innerHTML = "";
    field.removeAttribute("aria-activedescendant");
    people = [];
    chosen = -1;
  }
  function show(found) {
    people = found;
    list.innerHTML = "";
    if (!people.length) { close(); return; }
    people.forEach(function (person, index) {
      var option = document.createElement("button");
      option.type = "button";
      option.className = "list-group-item list-group-item-action py-1";
      option.id = "mention-" + index;
      option.setAttribute("role", "option");
      option.textContent = person.name + (person.network ? " (" + person.network + ")" : "");
      option.addEventListener("mousedown", function (event) { event.preventDefault(); take(index); });
      list.appendChild(option);
    });
    list.hidden = false;
    mark(0);
  }
  function mark(index) {
    chosen = index;
    Array.prototype.forEach.call(list.children, function (option, i) {
      option.classList.toggle("active", i === index);
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    field.setAttribute("aria-activedescendant", "mention-" + index);
  }
  function take(index) {
    var person = people[index];
    var end = field.selectionStart;
    var text = "@" + person.name + " ";
    field.value = field.value.slice(0, start) + text + field.value.slice(end);
    field.selectionStart = field.selectionEnd = start + text.length;
    close();
    field.focus();
  }
  field.setAttribute("aria-controls", "mention-list");
  field.addEventListener("input", function () {
    var text = query();
    if (text === null) { close(); return; }
    var ticket = ++asked;
    fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
      .then(function (answer) { return answer.ok ? answer.json() : []; })
      .then(function (found) { if (ticket === asked) show(found); })
      .catch(close);
  });
  field.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); mark((chosen + 1) % people.length); }
    else if (event.key === "ArrowUp") { event.preventDefault(); mark((chosen + people.length - 1) % people.length); }
    else if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); take(chosen); }
    else if (event.key === "Escape") { event.preventDefault(); close(); }
  });
  field.addEventListener("blur", function () { setTimeout(close, 150); });
})();
