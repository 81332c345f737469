// Ecosystem intelligence: draws the stored network (layout computed on the server) with
// sigma.js + graphology. No inline script (CSP): the data comes from the JSON endpoint in
// the canvas's data-src; without JavaScript the page shows the table instead.
(function () {
  "use strict";
  const SECTORS = ["public", "academia", "industry", "civil", "citizens"];

  function colours() {
    const style = getComputedStyle(document.documentElement);
    const out = {};
    for (const s of SECTORS) {
      out[s] = style.getPropertyValue("--s-" + s).trim() || "#5f6b7a";
    }
    out.unknown = "#8a8a8a";
    return out;
  }

  function draw(box, data) {
    const palette = colours();
    const measure = data.size || "betweenness";
    let top = 0;
    for (const n of data.nodes) {
      top = Math.max(top, n[measure] || 0);
    }
    const graph = new graphology.Graph({ type: "undirected", multi: false });
    for (const n of data.nodes) {
      const share = top > 0 ? Math.sqrt((n[measure] || 0) / top) : 0;
      graph.addNode(n.key, {
        x: n.x,
        y: n.y,
        size: 2 + 12 * share,
        label: n.label,
        color: palette[n.sector] || palette.unknown,
        stakeholder: n.id,
      });
    }
    let maxWeight = 0;
    for (const e of data.edges) {
      maxWeight = Math.max(maxWeight, e[2]);
    }
    for (const e of data.edges) {
      if (graph.hasNode(e[0]) && graph.hasNode(e[1]) && !graph.hasEdge(e[0], e[1])) {
        graph.addEdge(e[0], e[1], {
          size: 0.5 + 2 * (maxWeight > 0 ? e[2] / maxWeight : 0),
          color: "#c9d0d9",
        });
      }
    }
    box.hidden = false;
    const renderer = new Sigma(graph, box, {
      labelRenderedSizeThreshold: data.nodes.length > 500 ? 12 : 7,
      hideEdgesOnMove: data.edges.length > 20000,
    });
    const base = box.dataset.stakeholderUrl;
    renderer.on("clickNode", function (event) {
      const id = graph.getNodeAttribute(event.node, "stakeholder");
      window.location.href = base + id + "/";
    });
  }

  function start() {
    const box = document.getElementById("network-canvas");
    if (!box || typeof Sigma === "undefined" || typeof graphology === "undefined") {
      return;
    }
    fetch(box.dataset.src, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && data.nodes && data.nodes.length) {
          draw(box, data);
        }
      })
      .catch(function () {
        box.hidden = true;
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
