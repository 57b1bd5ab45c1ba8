// Draws each <figure data-chart> from the table inside it (templates/reports/_charts.html).
// The table stays on the page: it is the accessible, printable form of the same figures.
(function () {
  "use strict";
  if (typeof window.Chart !== "function") {
    return;
  }
  // Twelve colours that tell apart: the status doughnut has nine slices (phone walk: with eight, Draf
  // and Ditarik shared one green).
  var PALETTE = ["#1f5f46", "#d9822b", "#3c78b4", "#a23b72", "#9bbb3a", "#7f6a93", "#c0392b", "#2e8b8b",
                 "#e3b505", "#6d4c41", "#8a8a8a", "#f28bb5"];
  var lang = document.documentElement.lang === "en" ? "en-US" : "id-ID";

  // Short Rupiah for axis ticks ("Rp100 jt"), the same units as gandeng/formatting.py rupiah_short;
  // tooltips and the table keep the exact amount.
  var UNITS = lang === "en-US"
    ? [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "K"]]
    : [[1e12, " T"], [1e9, " M"], [1e6, " jt"], [1e3, " rb"]];

  function shortRupiah(value) {
    if (value === null || value === undefined || isNaN(value)) {
      return "–";
    }
    var sign = value < 0 ? "-" : "";
    var size = Math.abs(value);
    for (var i = 0; i < UNITS.length; i += 1) {
      var rounded = Math.round((size / UNITS[i][0]) * 10) / 10;
      if (rounded >= 1) {
        return sign + "Rp" + rounded.toLocaleString(lang, { maximumFractionDigits: 1 }) + UNITS[i][1];
      }
    }
    return sign + "Rp" + Math.round(size).toLocaleString("id-ID");
  }

  // A long category or place name on several lines, so that the axis never cuts it ("Sizi" for "Gizi").
  function wrapLabel(text, width) {
    var words = String(text).split(/\s+/);
    var lines = [];
    var line = "";
    words.forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) {
      lines.push(line);
    }
    return lines.length > 1 ? lines : lines[0] || "";
  }

  function formatter(kind) {
    return function (value) {
      if (value === null || value === undefined || isNaN(value)) {
        return "–";
      }
      if (kind === "rupiah") {
        return "Rp" + Math.round(value).toLocaleString("id-ID");
      }
      if (kind === "percent") {
        return value.toLocaleString(lang, { maximumFractionDigits: 1 }) + "%";
      }
      return value.toLocaleString(lang);
    };
  }

  function draw(figure) {
    var table = figure.querySelector("table");
    var canvas = figure.querySelector("canvas");
    if (!table || !canvas || canvas.hasAttribute("data-drawn")) {
      return;
    }
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr")).filter(function (row) {
      return row.querySelector("td[data-value]");
    });
    if (!rows.length) {
      figure.querySelector(".gg-chart-canvas").hidden = true;
      return;
    }
    var kind = figure.getAttribute("data-chart") || "bar";
    var labels = rows.map(function (row) { return row.cells[0].textContent.trim(); });
    var valueKind = (heads[1] && heads[1].getAttribute("data-kind")) || "number";
    // A doughnut draws its first figure only (the count): a second ring of Rupiah had no legend.
    var figureHeads = kind === "doughnut" ? heads.slice(1, 2) : heads.slice(1);
    var datasets = figureHeads.map(function (head, column) {
      var colour = PALETTE[column % PALETTE.length];
      return {
        label: head.textContent.trim(),
        data: rows.map(function (row) {
          var raw = row.cells[column + 1].getAttribute("data-value");
          return raw === "" ? null : Number(raw);
        }),
        backgroundColor: kind === "line" ? colour : (kind === "doughnut" ? PALETTE : colour),
        borderColor: kind === "doughnut" ? "#ffffff" : colour,
        tension: 0.2,
        spanGaps: true,
      };
    });
    var horizontal = figure.hasAttribute("data-horizontal");
    var stacked = figure.hasAttribute("data-stacked");
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: horizontal ? "y" : "x",
      plugins: {
        legend: { display: datasets.length > 1 || kind === "doughnut", position: "bottom" },
        tooltip: {
          callbacks: {
            label: function (context) {
              var value = horizontal ? context.parsed.x : context.parsed.y;
              if (kind === "doughnut") {
                value = context.parsed;
              }
              return context.dataset.label + ": " + formatter(valueKind)(value);
            },
          },
        },
      },
    };
    var narrow = figure.clientWidth < 576;
    options.layout = { padding: { left: 4, right: 8 } };
    if (kind !== "doughnut") {
      var tick = valueKind === "rupiah" ? shortRupiah : formatter(valueKind);
      var valueAxis = { beginAtZero: true, stacked: stacked, ticks: { callback: function (value) { return tick(value); },
                                                                        maxTicksLimit: narrow ? 5 : 8 } };
      var labelAxis = {
        stacked: stacked,
        ticks: {
          // Every name under its bar up to 20 bars (phone walk: the 14 kemantren showed 7 names), upright on a
          // phone; beyond that Chart.js skips some and the table has them all.
          autoSkip: !horizontal && labels.length > 20,
          maxRotation: narrow ? 90 : 50,
          font: { size: narrow && labels.length > 8 ? 10 : 12 },
          callback: function (value) { return wrapLabel(this.getLabelForValue(value), narrow ? 14 : 24); },
        },
      };
      options.scales = horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis };
    }
    var holder = figure.querySelector(".gg-chart-canvas");
    if (horizontal) {
      // On a phone the names wrap onto two or three lines: give each row room for them.
      var rows = narrow ? labels.length * 2 : labels.length;
      holder.classList.add("gg-chart-rows-" + Math.min(50, Math.max(5, Math.ceil(rows / 5) * 5)));
    }
    canvas.setAttribute("data-drawn", "");
    new window.Chart(canvas, { type: kind, data: { labels: labels, datasets: datasets }, options: options });
  }

  /* Each chart is drawn when it comes near the screen, one per animation frame: a page of a dozen
     charts (the dashboard) never blocks the phone's main thread for long, and charts nobody scrolls
     to cost nothing. */
  var figures = Array.prototype.slice.call(document.querySelectorAll("figure[data-chart]"));
  var queue = [];
  function drawQueued() {
    var figure = queue.shift();
    if (figure) draw(figure);
    if (queue.length) window.requestAnimationFrame(drawQueued);
  }
  function enqueue(figure) {
    queue.push(figure);
    if (queue.length === 1) window.requestAnimationFrame(drawQueued);
  }
  if (typeof window.IntersectionObserver !== "function") {
    figures.forEach(draw);
    return;
  }
  var watcher = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      watcher.unobserve(entry.target);
      enqueue(entry.target);
    });
  }, { rootMargin: "200px 0px" });
  figures.forEach(function (figure) { watcher.observe(figure); });
  window.addEventListener("beforeprint", function () {
    figures.forEach(function (figure) {
      watcher.unobserve(figure);
      draw(figure);
    });
  });
})();
