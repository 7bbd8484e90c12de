// Filters and orders: shown only where scripts run; without them every resolution is on the
// page, in the catalogue's order.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("matrix");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#matrix tbody tr"));
  var shown = document.getElementById("shown");
  if (!form || !table || !rows.length) {
    return;
  }
  var texts = rows.map(function (row) {  // what the text search looks in, before any button
    return row.textContent.toLowerCase();
  });
  var body = table.tBodies[0];
  var head = table.tHead;
  form.hidden = false;

  // A jump to a row lands just below the header row that stays at the top of the window:
  // the stylesheet's guess is replaced by the header's real height, which varies with the
  // window's width and the names in it.
  function measureHead() {
    if (head) {
      document.documentElement.style.setProperty(
        "--head", Math.ceil(head.getBoundingClientRect().height) + "px"
      );
    }
  }
  measureHead();
  window.addEventListener("resize", measureHead);

  // On a phone a card first shows who proposes what, and how worrying it is; its Details
  // button shows the rest (the stylesheet hides it on narrow screens only).
  function expand(row, open) {
    var button = row.querySelector("button.more");
    if (button) {
      row.classList.toggle("brief", !open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
  }
  rows.forEach(function (row) {
    if (!row.querySelector(".summary, .doc, .signed, .result, td.analysis:not(.empty)")) {
      return;  // nothing more to show
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "more";
    button.textContent = "Details";
    button.setAttribute("aria-label", "Details of " + row.querySelector("th a").textContent);
    button.addEventListener("click", function () {
      expand(row, row.classList.contains("brief"));
    });
    var th = row.querySelector("th");
    (th.querySelector(".about") || th).appendChild(button);  // on the topic's line, if any
    expand(row, false);
  });

  // The row a link points at opens in full, just below the header row.
  function reveal() {
    var target = location.hash && document.getElementById(location.hash.slice(1));
    if (target && target.parentNode === body) {
      expand(target, true);
      target.scrollIntoView();  // below the header row: see scroll-margin in the stylesheet
    }
  }
  reveal();
  window.addEventListener("hashchange", reveal);

  function concernOf(row, submitter) {
    var pairs = (row.getAttribute("data-concerns") || "").split(" ");
    for (var i = 0; i < pairs.length; i++) {
      var pair = pairs[i].split(":");
      if (pair[0] === submitter) {
        return pair[1];
      }
    }
    return "";
  }

  // Each order is a list of codes, highest first, carried by its option; a row without a
  // value (no proposals, no priority) comes last; ties keep the catalogue's order.
  var orders = {};
  Array.prototype.forEach.call(form.elements.order.options, function (option) {
    if (option.value) {
      orders[option.value] = {
        ranks: option.getAttribute("data-ranks").split(" "),
        attribute: "data-" + option.value,
        words: option.textContent.toLowerCase()
      };
    }
  });

  function rank(order, row) {
    var at = order.ranks.indexOf(row.getAttribute(order.attribute) || "");
    return at === -1 ? order.ranks.length : at;
  }

  function sort() {
    var order = orders[form.elements.order.value];
    var sorted = rows.map(function (row, index) {
      return { row: row, index: index, rank: order ? rank(order, row) : 0 };
    });
    sorted.sort(function (a, b) {
      return a.rank - b.rank || a.index - b.index;
    });
    sorted.forEach(function (item) {
      body.appendChild(item.row);
    });
    return order ? ", " + order.words : "";
  }

  function apply() {
    var submitter = form.elements.submitter.value;
    var concern = form.elements.concern.value;
    var topic = form.elements.topic.value;
    var text = form.elements.text.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (row, index) {
      var submitters = (row.getAttribute("data-submitters") || "").split(" ");
      var visible =
        (!submitter || submitters.indexOf(submitter) !== -1) &&
        (!concern || (submitter ? concernOf(row, submitter) : row.getAttribute("data-concern")) === concern) &&
        (!topic || row.getAttribute("data-topic") === topic) &&
        (!text || texts[index].indexOf(text) !== -1);
      row.hidden = !visible;
      if (visible) {
        count += 1;
      }
    });
    table.classList.toggle("searching", text !== "");
    var ordered = sort();
    shown.textContent = (count === rows.length
      ? "Showing all " + rows.length + " resolutions"
      : "Showing " + count + " of " + rows.length + " resolutions") + ordered + ".";
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
}());
