/* Photos from real phones (issue 12): before upload, every chosen JPEG/PNG photo larger than
   1600 px or 1.5 MB is drawn on a canvas at 1600 px on its longest side and sent as a JPEG of
   quality 0.8 (an 8 MB, 48-MP photo becomes ~300 KB: it uploads on a weak signal). Plain JS, no
   library. When anything is missing (old browser, no canvas, a photo it cannot decode) the original
   file is sent as it is: the server shrinks it too (gandeng/images.py). */
(function () {
  "use strict";

  var MAX_SIDE = 1600;
  var QUALITY = 0.8;
  var SMALL_ENOUGH = 1.5 * 1024 * 1024;
  var english = (document.documentElement.getAttribute("lang") || "id").indexOf("en") === 0;
  function t(id, en) { return english ? en : id; }

  var supported = typeof window.DataTransfer === "function" && typeof window.FileReader === "function" &&
    !!document.createElement("canvas").getContext && typeof HTMLCanvasElement.prototype.toBlob === "function";

  /* createImageBitmap first: the page's Content-Security-Policy allows no blob: images. Older
     browsers read the file as a data: URL (allowed) into an <img>. Both turn the photo upright. */
  function load(file) {
    if (typeof window.createImageBitmap === "function") {
      return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
        return { source: bitmap, width: bitmap.width, height: bitmap.height, done: function () { bitmap.close(); } };
      });
    }
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onerror = function () { reject(new Error("read")); };
      reader.onload = function () {
        var img = new Image();
        img.onload = function () { resolve({ source: img, width: img.naturalWidth, height: img.naturalHeight, done: function () {} }); };
        img.onerror = function () { reject(new Error("decode")); };
        img.src = reader.result;
      };
      reader.readAsDataURL(file);
    });
  }

  function shrink(file) {
    if (!/^image\/(jpeg|png)$/.test(file.type)) return Promise.resolve(file);
    return load(file).then(function (img) {
      var w = img.width, h = img.height, longest = Math.max(w, h);
      if (longest <= MAX_SIDE && file.size <= SMALL_ENOUGH) { img.done(); return file; }
      var scale = Math.min(1, MAX_SIDE / longest);
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(w * scale));
      canvas.height = Math.max(1, Math.round(h * scale));
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff";  /* a transparent PNG becomes white, as on paper */
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.imageSmoothingQuality = "high";
      ctx.drawImage(img.source, 0, 0, canvas.width, canvas.height);
      img.done();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  function status(input) {
    var id = input.id + "-shrink";
    var out = document.getElementById(id);
    if (!out) {
      out = document.createElement("div");
      out.id = id;
      out.className = "form-text photo-shrink-status";
      out.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", out);
    }
    return out;
  }

  /* While photos are being made smaller the buttons stay where they are (a keyboard user tabbing
     past the file field must not skip them and land on "Batal"); a press meanwhile is held and
     sent, with the button that was pressed, as soon as the photos are ready. */
  var held = [];
  function holdSubmit(form) {
    if (!form || form.hasAttribute("data-shrink-hold")) return;
    form.setAttribute("data-shrink-hold", "");
    form.addEventListener("submit", function (event) {
      var busy = form.querySelector("input[type=file][data-shrinking]");
      if (!busy) return;
      event.preventDefault();
      status(busy).textContent = t("Tunggu sebentar: foto sedang diperkecil, lalu formulir langsung dikirim.",
                                   "One moment: the photos are being made smaller, then the form is sent.");
      held.push({ form: form, submitter: event.submitter || null });
    });
  }
  function release(form) {
    if (!form || form.querySelector("input[type=file][data-shrinking]")) return;
    var waiting = held.filter(function (h) { return h.form === form; });
    held = held.filter(function (h) { return h.form !== form; });
    if (!waiting.length) return;
    var last = waiting[waiting.length - 1];
    if (typeof form.requestSubmit === "function") form.requestSubmit(last.submitter || undefined);
    else form.submit();
  }

  function kb(bytes) { return bytes >= 1048576 ? (bytes / 1048576).toFixed(1).replace(".", english ? "." : ",") + " MB" : Math.round(bytes / 1024) + " KB"; }

  function watch(input) {
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      if (!files.length) return;
      var out = status(input);
      input.setAttribute("data-shrinking", "");
      out.textContent = t("Memperkecil foto…", "Making the photos smaller…");
      Promise.all(files.map(shrink)).then(function (shrunk) {
        var changed = shrunk.some(function (f, i) { return f !== files[i]; });
        if (changed) {
          var transfer = new DataTransfer();
          shrunk.forEach(function (f) { transfer.items.add(f); });
          input.files = transfer.files;
        }
        var before = files.reduce(function (s, f) { return s + f.size; }, 0);
        var after = shrunk.reduce(function (s, f) { return s + f.size; }, 0);
        out.textContent = changed
          ? t("Foto siap dikirim: " + kb(before) + " diperkecil menjadi " + kb(after) + ".",
              "Photos ready: " + kb(before) + " made smaller to " + kb(after) + ".")
          : t("Berkas siap dikirim.", "Files ready.");
      }).catch(function () {
        out.textContent = t("Berkas siap dikirim.", "Files ready.");
      }).then(function () {
        input.removeAttribute("data-shrinking");
        input.setAttribute("data-shrunk", "");
        release(input.form);
      });
    });
  }

  if (!supported) return;
  document.querySelectorAll("input[type=file]").forEach(function (input) {
    var accept = input.getAttribute("accept") || "";
    if (!accept || /image\//.test(accept)) { holdSubmit(input.form); watch(input); }
  });
})();
