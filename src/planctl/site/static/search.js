// Offline search over window.PLANCTL_SEARCH (search-index.js, built with the site): a
// script file, not fetched JSON, so it works from file:// too. Results are made with
// textContent only: plan text is never parsed as HTML.
(function () {
  "use strict";
  var index = window.PLANCTL_SEARCH || [];
  var form = document.querySelector("form.search");
  var input = document.getElementById("q");
  var results = document.getElementById("results");
  if (!form || !input || !results) { return; }
  var folded = index.map(function (e) { return (e[0] + " " + e[2] + " " + e[3]).toLowerCase(); });

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
  }

  function show(query) {
    results.textContent = "";
    var wanted = words(query);
    if (!wanted.length) { return; }
    var hits = [];
    for (var i = 0; i < index.length && hits.length < 200; i++) {
      var text = folded[i];
      if (wanted.every(function (w) { return text.indexOf(w) !== -1; })) { hits.push(index[i]); }
    }
    var heading = document.createElement("h2");
    heading.textContent = hits.length === 0 ? "No results for \u201c" + query + "\u201d"
      : (hits.length >= 200 ? "First 200 results" : hits.length + (hits.length === 1 ? " result" : " results")) + " for \u201c" + query + "\u201d";
    results.appendChild(heading);
    if (!hits.length) { return; }
    var list = document.createElement("ul");
    list.className = "results";
    hits.forEach(function (e) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = e[1];
      a.textContent = e[0];
      li.appendChild(a);
      var where = document.createElement("span");
      where.className = "hint";
      where.textContent = " \u2014 " + e[2];
      li.appendChild(where);
      list.appendChild(li);
    });
    results.appendChild(list);
  }

  var params = new URLSearchParams(window.location.search);
  var q = params.get("q") || "";
  input.value = q;
  show(q);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
    if (window.history && window.history.replaceState && window.location.protocol !== "file:") {
      window.history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    }
  });
})();
