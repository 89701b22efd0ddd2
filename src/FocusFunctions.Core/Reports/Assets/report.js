"use strict";
(function () {
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var dialog = document.getElementById("tile-dialog");
  var labels = { InFocus: "in focus", OutOfFocus: "out of focus", Indeterminate: "indeterminate", NoTissue: "no tissue", Failed: "failed" };

  function microns(value) { return value === null || value === undefined ? "–" : value.toFixed(2) + " µm"; }

  // The page's one colour scale: the stops come from the C# palette, interpolated as it does.
  function colour(um) {
    var stops = data.stops, t = Math.min(1, Math.max(0, um / (2 * data.threshold))) * (stops.length - 1);
    var i = Math.min(Math.floor(t), stops.length - 2), f = t - i, a = hex(stops[i]), b = hex(stops[i + 1]);
    return "rgb(" + [0, 1, 2].map(function (k) { return Math.round(a[k] + (b[k] - a[k]) * f); }).join(",") + ")";
  }
  function hex(s) { return [1, 3, 5].map(function (k) { return parseInt(s.substr(k, 2), 16); }); }

  document.getElementById("overlay-toggle").addEventListener("change", function (e) {
    document.body.classList.toggle("no-overlay", !e.target.checked);
  });

  function fact(list, term, value) {
    var dt = document.createElement("dt"), dd = document.createElement("dd");
    dt.textContent = term; dd.textContent = value; list.append(dt, dd);
  }

  function open(cell) {
    var tile = data.tiles[Number(cell.dataset.i)];
    document.getElementById("tile-dialog-title").textContent = tile.name;
    var facts = document.getElementById("tile-dialog-facts");
    facts.className = "facts"; facts.replaceChildren();
    fact(facts, "Verdict", labels[tile.verdict] || tile.verdict);
    fact(facts, "Defocus", microns(tile.um));
    if (tile.low !== null && tile.low !== undefined) { fact(facts, "Defocus interval", tile.low.toFixed(2) + "–" + tile.high.toFixed(2) + " µm"); }
    if (tile.reason) { fact(facts, "Why", tile.reason); }
    fact(facts, "Worst patch", microns(tile.worst));
    fact(facts, "Tissue", Math.round(tile.tissue * 100) + " %");
    fact(facts, "Where it is", tile.location);
    fact(facts, "Model", data.model);
    if (tile.error) { fact(facts, "Error", tile.error); }
    var source = cell.querySelector("img"), image = document.getElementById("tile-dialog-image");
    image.hidden = !source;
    if (source) { image.src = source.src; image.alt = source.alt; }
    var zoom = image.parentElement;
    zoom.style.aspectRatio = source && source.naturalHeight ? source.naturalWidth + " / " + source.naturalHeight : "1";
    var patches = document.getElementById("tile-dialog-patches");
    patches.replaceChildren();
    patches.style.gridTemplateColumns = "repeat(" + Math.max(1, tile.columns) + ", 1fr)";
    patches.style.gridTemplateRows = "repeat(" + Math.max(1, tile.rows) + ", 1fr)";
    patches.setAttribute("aria-label", tile.columns ? "Patch grid, " + tile.columns + " by " + tile.rows + ", defocus per patch: " +
      tile.patches.map(function (p) { return p === null ? "no tissue" : p.toFixed(2); }).join(", ") + " µm" : "No patch grid");
    tile.patches.forEach(function (p, i) {
      var div = document.createElement("div");
      div.textContent = p === null ? "–" : p.toFixed(1);
      if (p !== null) { div.style.background = colour(p).replace("rgb", "rgba").replace(")", ",0.55)"); }
      if (tile.undecided && tile.undecided[i]) {
        // Undecided: its interval straddles the threshold. Stripes of the map's magenta over its defocus colour.
        div.className = "undecided";
        div.title = "undecided: its defocus interval straddles the threshold";
        div.style.backgroundImage = "repeating-linear-gradient(45deg, " + data.stripe + " 0 4px, transparent 4px 10px)";
      }
      patches.append(div);
    });
    dialog.showModal();
    document.getElementById("tile-dialog-close").focus();
  }

  document.getElementById("tile-dialog-close").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("click", function (e) { if (e.target === dialog) { dialog.close(); } });

  document.querySelectorAll(".tile").forEach(function (cell) {
    cell.addEventListener("click", function () { open(cell); });
  });

  // Arrow keys move by grid position in the mosaic and by order in the gallery.
  var moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  document.querySelectorAll(".grid, .gallery").forEach(function (container) {
    container.addEventListener("keydown", function (e) {
      var move = moves[e.key], cell = e.target.closest(".tile");
      if (!move || !cell) { return; }
      var next;
      if (container.classList.contains("grid")) {
        var x = Number(cell.dataset.x), y = Number(cell.dataset.y);
        for (var step = 1; step < 4096 && !next; step++) {
          var nx = x + move[0] * step, ny = y + move[1] * step;
          if (nx < 0 || ny < 0 || nx > data.columns || ny > data.rows) { break; }
          next = container.querySelector('.tile[data-x="' + nx + '"][data-y="' + ny + '"]');
        }
      } else {
        next = move[0] + move[1] > 0 ? cell.nextElementSibling : cell.previousElementSibling;
      }
      if (next) { next.focus(); e.preventDefault(); }
    });
  });

  var copy = document.getElementById("copy-rescan");
  if (copy) {
    copy.addEventListener("click", function () {
      var text = document.getElementById("rescan-csv").value, status = document.getElementById("copy-status");
      function fallback() {
        var area = document.getElementById("rescan-csv");
        area.select();
        status.textContent = document.execCommand("copy") ? "Copied." : "Select the list and copy it.";
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { status.textContent = "Copied."; }, fallback);
      } else {
        fallback();
      }
    });
  }
})();
