/* Zoom and pan for the equity map (the map works without this: it is plain SVG).
   Adds Zoom in / Zoom out / Whole territory buttons; drag with the mouse to pan,
   double-click to zoom in.
   Labels come from data- attributes of the map's frame, so they are translated. */
(function () {
  "use strict";

  function setup(frame) {
    var svg = frame.querySelector("svg.equity-map");
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal) return;
    var original = svg.getAttribute("viewBox");
    var b = svg.viewBox.baseVal;
    var home = { x: b.x, y: b.y, w: b.width, h: b.height };
    var view = { x: home.x, y: home.y, w: home.w, h: home.h };

    function apply() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
    }

    function zoom(factor, cx, cy) {
      var w = Math.min(home.w, Math.max(home.w / 16, view.w / factor));
      var k = w / view.w;
      if (cx === undefined) { cx = view.x + view.w / 2; cy = view.y + view.h / 2; }
      view.x = cx - (cx - view.x) * k;
      view.y = cy - (cy - view.y) * k;
      view.w = w;
      view.h = view.h * k;
      apply();
    }

    function button(label, action) {
      var el = document.createElement("button");
      el.type = "button";
      el.className = "secondary";
      el.textContent = label;
      el.addEventListener("click", action);
      return el;
    }

    var bar = document.createElement("div");
    bar.className = "map-tools";
    bar.appendChild(button(frame.dataset.zoomIn || "+", function () { zoom(2); }));
    bar.appendChild(button(frame.dataset.zoomOut || "-", function () { zoom(0.5); }));
    bar.appendChild(button(frame.dataset.zoomReset || "=", function () {
      view = { x: home.x, y: home.y, w: home.w, h: home.h };
      svg.setAttribute("viewBox", original);
    }));
    frame.parentNode.insertBefore(bar, frame);

    function toMap(event) {
      var rect = svg.getBoundingClientRect();
      return {
        x: view.x + (event.clientX - rect.left) / rect.width * view.w,
        y: view.y + (event.clientY - rect.top) / rect.height * view.h,
      };
    }

    var drag = null;
    svg.addEventListener("pointerdown", function (event) {
      // Mouse only: on a touch screen a swipe over the map still scrolls the page.
      if (event.pointerType !== "mouse") return;
      drag = { x: event.clientX, y: event.clientY };
      svg.setPointerCapture(event.pointerId);
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var rect = svg.getBoundingClientRect();
      view.x -= (event.clientX - drag.x) / rect.width * view.w;
      view.y -= (event.clientY - drag.y) / rect.height * view.h;
      drag = { x: event.clientX, y: event.clientY };
      apply();
    });
    svg.addEventListener("pointerup", function () { drag = null; });
    svg.addEventListener("pointercancel", function () { drag = null; });
    svg.addEventListener("dblclick", function (event) {
      var p = toMap(event);
      zoom(2, p.x, p.y);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-equity-map]"), setup);
  });
})();
