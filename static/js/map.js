// The kelurahan map (templates/reports/_map.html): boundaries from the page's own server, no tiles.
(function () {
  "use strict";
  if (typeof window.L === "undefined") {
    return;
  }
  var COLOURS = ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"];
  var english = document.documentElement.lang === "en";

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function format(value, kind) {
    if (value === null || value === undefined) {
      return "–";
    }
    if (kind === "rupiah") {
      return "Rp" + Math.round(value).toLocaleString("id-ID");
    }
    var text = Number(value).toLocaleString(english ? "en-US" : "id-ID", { maximumFractionDigits: 2 });
    return kind === "percent" ? text + "%" : text;
  }

  // Up to five classes by quantile of the distinct non-empty values (so that many equal values,
  // e.g. a lot of zeros, do not collapse the classes); null/absent values stay white.
  function breaks(values) {
    var sorted = values.filter(function (v) { return v !== null && v !== undefined; }).sort(function (a, b) { return a - b; });
    var distinct = sorted.filter(function (v, i) { return i === 0 || v !== sorted[i - 1]; });
    if (distinct.length < 2) {
      return [];
    }
    var found = [];
    for (var i = 1; i < COLOURS.length; i += 1) {
      var limit = distinct[Math.min(distinct.length - 1, Math.floor((i * distinct.length) / COLOURS.length))];
      if (limit > distinct[0] && found.indexOf(limit) === -1) {
        found.push(limit);
      }
    }
    return found;
  }

  function colourFor(value, limits) {
    if (value === null || value === undefined) {
      return "#ffffff";
    }
    var index = 0;
    while (index < limits.length && value >= limits[index]) {
      index += 1;
    }
    return COLOURS[Math.min(index, COLOURS.length - 1)];
  }

  function start(holder) {
    var select = document.getElementById(holder.getAttribute("data-figure-select"));
    var detail = document.getElementById(holder.getAttribute("data-detail"));
    var legend = document.getElementById(holder.id + "-legend");
    var map = window.L.map(holder, { zoomSnap: 0.25, scrollWheelZoom: false, attributionControl: true });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    Promise.all([
      fetch(holder.getAttribute("data-geojson"), { credentials: "same-origin" }).then(function (r) { return r.json(); }),
      fetch(holder.getAttribute("data-map-data"), { credentials: "same-origin" }).then(function (r) { return r.json(); }),
    ]).then(function (loaded) {
      var shapes = loaded[0];
      var data = loaded[1];
      var figures = data.figures || [];
      select.textContent = "";  /* the "loading" placeholder goes */
      select.disabled = false;
      figures.forEach(function (figure) {
        var option = document.createElement("option");
        option.value = figure.key;
        option.textContent = figure.label;
        select.appendChild(option);
      });
      if (select.getAttribute("data-default")) {
        select.value = select.getAttribute("data-default");
      }
      function figureOf(key) {
        return figures.filter(function (f) { return f.key === key; })[0] || figures[0];
      }
      function show(code) {
        var place = data.kelurahan[code];
        if (!place) {
          return;
        }
        var rows = figures.map(function (figure) {
          return "<tr><th scope=\"row\">" + escapeHtml(figure.label) + "</th><td class=\"text-end\">" +
            escapeHtml(format(place.values[figure.key], figure.kind)) + "</td></tr>";
        }).join("");
        detail.innerHTML = "<h3 class=\"h6 mt-2\">" + escapeHtml(place.name) + " <span class=\"text-muted\">(" +
          escapeHtml(place.kemantren) + ")</span></h3><table class=\"table table-sm mb-0\"><tbody>" + rows + "</tbody></table>";
      }
      var layer = window.L.geoJSON(shapes, {
        style: function () {
          return { color: "#555", weight: 1, fillOpacity: 0.8 };
        },
        onEachFeature: function (feature, shape) {
          var code = feature.properties.kode_kelurahan;
          shape.bindTooltip(feature.properties.kelurahan, { sticky: true });
          shape.on("click", function () { show(code); });
          shape.on("add", function () {
            var element = shape.getElement();
            if (element) {
              element.setAttribute("tabindex", "0");
              element.setAttribute("role", "button");
              element.setAttribute("aria-label", feature.properties.kelurahan);
              element.addEventListener("keydown", function (event) {
                if (event.key === "Enter" || event.key === " ") {
                  event.preventDefault();
                  show(code);
                }
              });
            }
          });
        },
      }).addTo(map);
      map.fitBounds(layer.getBounds());
      function paint() {
        var figure = figureOf(select.value);
        if (!figure) {
          return;
        }
        var values = Object.keys(data.kelurahan).map(function (code) { return data.kelurahan[code].values[figure.key]; });
        var limits = breaks(values);
        layer.setStyle(function (feature) {
          var place = data.kelurahan[feature.properties.kode_kelurahan];
          return { fillColor: colourFor(place ? place.values[figure.key] : null, limits) };
        });
        legend.innerHTML = escapeHtml(figure.label) + ": " + COLOURS.slice(0, limits.length + 1).map(function (colour, i) {
          var text = i === 0 ? (limits.length ? "&lt; " + escapeHtml(format(limits[0], figure.kind)) : "") :
            "≥ " + escapeHtml(format(limits[i - 1], figure.kind));
          return "<span class=\"gg-swatch gg-swatch-" + i + "\"></span> " + text;
        }).join(" &nbsp; ") + " &nbsp; <span class=\"gg-swatch gg-swatch-none\"></span> " + (english ? "no data" : "tanpa data");
      }
      select.addEventListener("change", paint);
      paint();
    }).catch(function () {
      detail.textContent = english ? "The map could not be loaded; the table has the same figures." :
        "Peta tidak dapat dimuat; tabel berisi angka yang sama.";
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-map-data]"), start);
})();
