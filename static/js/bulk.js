// The bulk form of the register: show the fields the chosen change needs, tick all rows of
// the page at once, and say how many are ticked. Without JavaScript every field is shown.
(function () {
  "use strict";
  var form = document.getElementById("bulk-form");
  if (!form) return;
  var NEEDS = {
    status: ["action", "follow_up_date", "note"],
    hand_off: ["network", "note"],
    assignee: ["assignee"],
    follow_up: ["follow_up_date"],
    topic: ["topic"],
  };
  var change = form.querySelector("[name=change]");
  function showFields() {
    var needed = NEEDS[change.value] || [];
    form.querySelectorAll(".bulk-field").forEach(function (box) {
      var input = box.querySelector("input, select, textarea");
      box.hidden = needed.indexOf(input.name) < 0;
    });
  }
  change.addEventListener("change", showFields);
  showFields();

  var boxes = document.querySelectorAll("input.bulk-item");
  var count = document.getElementById("bulk-count");
  var all = form.querySelector("[name=all_filtered]");
  function tell() {
    var ticked = document.querySelectorAll("input.bulk-item:checked").length;
    if (!count) return;
    count.textContent = all && all.checked ? "" :
      ticked ? count.dataset.some.replace("{n}", ticked) : count.dataset.none;
  }
  boxes.forEach(function (box) { box.addEventListener("change", tell); });
  if (all) all.addEventListener("change", tell);
  var pageBox = document.getElementById("bulk-all-on-page");
  if (pageBox) {
    pageBox.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = pageBox.checked; });
      tell();
    });
  }
  if (boxes.length) tell();
})();
