// Filters: shown only where scripts run; without them every resolution is on the page.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#matrix tbody tr"));
  var shown = document.getElementById("shown");
  if (!form || !rows.length) {
    return;
  }
  form.hidden = false;

  function concernOf(row, region) {
    var pairs = (row.getAttribute("data-concerns") || "").split(" ");
    for (var i = 0; i < pairs.length; i++) {
      var pair = pairs[i].split(":");
      if (pair[0] === region) {
        return pair[1];
      }
    }
    return "";
  }

  function apply() {
    var region = form.elements.region.value;
    var concern = form.elements.concern.value;
    var topic = form.elements.topic.value;
    var text = form.elements.text.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (row) {
      var regions = (row.getAttribute("data-regions") || "").split(" ");
      var visible =
        (!region || regions.indexOf(region) !== -1) &&
        (!concern || (region ? concernOf(row, region) : row.getAttribute("data-concern")) === concern) &&
        (!topic || row.getAttribute("data-topic") === topic) &&
        (!text || row.textContent.toLowerCase().indexOf(text) !== -1);
      row.hidden = !visible;
      if (visible) {
        count += 1;
      }
    });
    shown.textContent = count === rows.length
      ? "Showing all " + rows.length + " resolutions."
      : "Showing " + count + " of " + rows.length + " resolutions.";
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
}());
