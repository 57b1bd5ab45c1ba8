/* Forms that forgive (issue 12), plain JavaScript, no library:
   - the error summary of a re-shown form gets the focus (a phone scrolls to it, a screen reader reads it);
     its links focus the field they name;
   - a Rupiah field says what it understood while typing ("Terbaca: Rp50.000.000"), with the same
     rules as gandeng/rupiah.py (the server has the last word);
   - forms marked data-autosave keep what is typed in localStorage and offer "Pulihkan isian" after a
     reload or a dropped signal; the copy goes once the form was sent and did not come back, after
     seven days, and at logout (a phone may be shared). Passwords, files and the CSRF token are never kept. */
(function () {
  "use strict";

  var html = document.documentElement;
  var english = (html.getAttribute("lang") || "id").indexOf("en") === 0;
  function t(id, en) { return english ? en : id; }

  /* --- the error summary --------------------------------------------------------------------- */
  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    summary.scrollIntoView({ block: "start" });
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      target.scrollIntoView({ block: "center" });
      target.focus();
    });
  }

  /* --- Rupiah as understood ------------------------------------------------------------------ */
  var UNITS = { rb: 1e3, ribu: 1e3, k: 1e3, jt: 1e6, juta: 1e6, m: 1e9, miliar: 1e9, milyar: 1e9 };
  var GROUPED = /^\d{1,3}(\.\d{3})+$/;

  function parseRupiah(text) {
    var s = String(text || "").trim().toLowerCase().replace(/^rp\.?\s*/, "").replace(/\s+/g, " ")
      .replace(/,-$/, "").trim();
    if (!s) return null;
    var part = /(\d[\d.,]*)\s*(miliar|milyar|ribu|juta|rb|jt|k|m)?\.?(?![a-z])/g;
    var parts = [], match, rest = s.replace(part, "").replace(/\s/g, "");
    if (rest) return null;
    while ((match = part.exec(s)) !== null) parts.push(match);
    if (!parts.length) return null;
    if (parts.length === 1 && !parts[0][2]) {
      var plain = parts[0][1].replace(/,(-|0{1,2})$/, "");
      if (GROUPED.test(plain)) plain = plain.replace(/\./g, "");
      return /^\d{1,15}$/.test(plain) ? Number(plain) : null;
    }
    var total = 0, last = Infinity;
    for (var i = 0; i < parts.length; i++) {
      var unit = UNITS[parts[i][2]];
      if (!unit || unit >= last) return null;
      last = unit;
      var number = parts[i][1];
      if (GROUPED.test(number)) total += Number(number.replace(/\./g, "")) * unit;
      else if (/^\d{1,12}([.,]\d{1,9})?$/.test(number)) total += Math.round(Number(number.replace(",", ".")) * unit * 1e6) / 1e6;
      else return null;
    }
    return Number.isInteger(total) ? total : null;
  }

  function rupiah(amount) {
    return "Rp" + String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function watchRupiah() {
    document.querySelectorAll("input[data-rupiah]").forEach(function (input) {
      var out = document.getElementById(input.getAttribute("data-rupiah"));
      if (!out) return;
      function show() {
        if (!input.value.trim()) { out.textContent = ""; return; }
        var amount = parseRupiah(input.value);
        out.textContent = amount === null
          ? t("Belum terbaca. Tulis misalnya 1.500.000 atau 1,5 juta.", "Not understood yet. Write e.g. 1.500.000 or 1,5 juta.")
          : t("Terbaca: ", "Read as: ") + rupiah(amount);
      }
      input.addEventListener("input", show);
    });
  }

  /* --- a date said back in words (the picker may show mm/dd/yyyy) ---------------------------- */
  var MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                   "Oktober", "November", "Desember"];
  var MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December"];

  function dateInWords(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) || /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
    if (!m) return null;
    var iso = m[1].length === 4;
    var year = Number(iso ? m[1] : m[3]), month = Number(m[2]), day = Number(iso ? m[3] : m[1]);
    if (month < 1 || month > 12 || day < 1 || day > 31) return null;
    var words = day + " " + (english ? MONTHS_EN : MONTHS_ID)[month - 1] + " " + year;
    // A date already past is said at once, not only when the server refuses it (review walk).
    var now = new Date(), today = now.getFullYear() * 10000 + (now.getMonth() + 1) * 100 + now.getDate();
    if (year * 10000 + month * 100 + day < today) words += t(" — sudah lewat", " — already past");
    return words;
  }

  function watchDates() {
    document.querySelectorAll("input[data-date]").forEach(function (input) {
      var out = document.getElementById(input.getAttribute("data-date"));
      if (!out) return;
      function show() {
        var words = input.value ? dateInWords(input.value.trim()) : null;
        out.textContent = words ? t("Terbaca: ", "Read as: ") + words : "";
      }
      input.addEventListener("input", show);
      input.addEventListener("change", show);
    });
  }

  /* --- autosave -------------------------------------------------------------------------------- */
  var PREFIX = "gg-autosave:";
  var SENT = "gg-autosave-sent";
  var WEEK_MS = 7 * 24 * 3600 * 1000;

  function storage() {
    try { var s = window.localStorage; s.setItem(PREFIX + "probe", "1"); s.removeItem(PREFIX + "probe"); return s; }
    catch (e) { return null; }  /* private mode or storage full: the form works as before */
  }

  function kept(el) {
    if (!el.name || el.disabled) return false;
    if (el.name === "csrf_token" || el.name === "pending") return false;
    var type = (el.type || "").toLowerCase();
    return ["password", "file", "submit", "button", "hidden", "reset"].indexOf(type) === -1;
  }

  function snapshot(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) return;
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        values[el.name] = values[el.name] || [];
        if (el.checked) values[el.name].push(el.value);
      } else if (el.tagName === "SELECT" && el.multiple) {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function restore(form, values) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el) || !(el.name in values)) return;
      var value = values[el.name], type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") el.checked = value.indexOf(el.value) !== -1;
      else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) !== -1; });
      } else el.value = value;
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function dropOld(store) {
    var now = Date.now();
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (!key || key.indexOf(PREFIX) !== 0) continue;
      try { if (now - JSON.parse(store.getItem(key)).at > WEEK_MS) store.removeItem(key); }
      catch (e) { store.removeItem(key); }
    }
  }

  function offerRestore(form, store, key, saved) {
    var box = document.createElement("div");
    box.className = "alert alert-info autosave-offer d-flex flex-wrap align-items-center gap-2";
    box.setAttribute("role", "status");
    var when = new Date(saved.at);
    var text = document.createElement("span");
    text.className = "me-auto";
    text.textContent = t("Ada isian yang belum terkirim (", "There is unsent input (") +
      when.toLocaleString(english ? "en-GB" : "id-ID", { dateStyle: "medium", timeStyle: "short" }) + ").";
    var yes = document.createElement("button");
    yes.type = "button"; yes.className = "btn btn-primary btn-sm";
    yes.textContent = t("Pulihkan isian", "Restore input");
    var no = document.createElement("button");
    no.type = "button"; no.className = "btn btn-outline-dark btn-sm";
    no.textContent = t("Buang", "Discard");
    box.appendChild(text); box.appendChild(yes); box.appendChild(no);
    form.parentNode.insertBefore(box, form);
    yes.addEventListener("click", function () {
      restore(form, saved.values);
      box.remove();
      var first = form.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
    no.addEventListener("click", function () { store.removeItem(key); box.remove(); });
  }

  function autosave() {
    var store = storage();
    if (!store) return;
    dropOld(store);
    var forms = document.querySelectorAll("form[data-autosave]");
    var keys = Array.prototype.map.call(forms, function (f) { return PREFIX + f.getAttribute("data-autosave"); });
    /* A form sent last time that did not come back (no such form on this page) was saved: forget its copy. */
    var sent = null;
    try { sent = window.sessionStorage.getItem(SENT); window.sessionStorage.removeItem(SENT); } catch (e) { /* none */ }
    if (sent && keys.indexOf(sent) === -1) store.removeItem(sent);
    var reshown = !!document.querySelector("[data-error-summary]");
    Array.prototype.forEach.call(forms, function (form, i) {
      var key = keys[i], saved = null;
      try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
      var initial = snapshot(form);
      if (saved && saved.values && !reshown && !same(saved.values, initial)) offerRestore(form, store, key, saved);
      var timer = null;
      function save() {
        timer = null;
        var values = snapshot(form);
        if (same(values, initial)) return;  /* nothing typed yet: keep any older copy */
        try { store.setItem(key, JSON.stringify({ at: Date.now(), values: values })); } catch (e) { /* full */ }
      }
      form.addEventListener("input", function () { if (!timer) timer = setTimeout(save, 400); });
      form.addEventListener("change", save);
      form.addEventListener("submit", function () {
        save();
        try { window.sessionStorage.setItem(SENT, key); } catch (e) { /* none */ }
      });
    });
    /* Leaving the account: no copy of what was typed stays on a shared phone. */
    document.querySelectorAll("form[data-clear-drafts]").forEach(function (form) {
      form.addEventListener("submit", function () {
        for (var i = store.length - 1; i >= 0; i--) {
          var key = store.key(i);
          if (key && key.indexOf(PREFIX) === 0) store.removeItem(key);
        }
      });
    });
  }

  focusSummary();
  watchRupiah();
  watchDates();
  autosave();
  window.ggParseRupiah = parseRupiah;  /* for the browser tests */
})();
