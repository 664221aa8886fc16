/* Padu integration map: a small force layout drawn on a <canvas>, no dependencies.
 *
 * Start: nodes grouped by OPD on a circle (national applications in the middle), so the first
 * drawing is already readable. Then a force layout (springs on edges, repulsion between
 * nearby nodes through a grid, so each step is about linear) refines it in a Web Worker
 * (graph_worker.js; without workers, here in slices of a few milliseconds per animation
 * frame): the main thread only draws, even with 500 applications and 1,500 integrations on
 * a slow phone.
 * Timings are exposed on window.paduGraph for the browser test.
 */
(function () {
  "use strict";

  var COLOURS = { splp: "#3b6ea8", file: "#3c8d5a", shared_db: "#b04a4a", manual: "#888888" };
  var SLICE_MS = 8; // work per frame
  var MAX_STEPS = 160;

  function now() {
    return window.performance ? performance.now() : Date.now();
  }

  function start() {
    var canvas = document.getElementById("integration-graph");
    var source = document.getElementById("graph-data");
    if (!canvas || !source) return;
    var t0 = now();
    var data = JSON.parse(source.textContent);
    var stats = {
      nodes: data.nodes.length, edges: data.edges.length, firstDraw: null, done: null, steps: 0,
      maxStep: 0, maxDraw: 0, draws: 0, start: t0
    };
    window.paduGraph = stats;

    var nodes = data.nodes;
    var index = {};
    var i;
    for (i = 0; i < nodes.length; i++) index[nodes[i].id] = i;
    var edges = [];
    for (i = 0; i < data.edges.length; i++) {
      var e = data.edges[i];
      if (index[e[0]] !== undefined && index[e[1]] !== undefined) edges.push([index[e[0]], index[e[1]], e[2]]);
    }
    var n = nodes.length;
    var x = new Float64Array(n), y = new Float64Array(n);
    var dx = new Float64Array(n), dy = new Float64Array(n);
    var degree = new Uint16Array(n);
    for (i = 0; i < edges.length; i++) { degree[edges[i][0]]++; degree[edges[i][1]]++; }

    // Initial layout: OPD groups on a circle, each group a small sunflower; national in the centre.
    var groups = {}, order = [];
    for (i = 0; i < n; i++) {
      var g = nodes[i].national && !nodes[i].unit ? "" : nodes[i].unit;
      if (!groups[g]) { groups[g] = []; order.push(g); }
      groups[g].push(i);
    }
    var area = Math.sqrt(Math.max(n, 1)) * 60;
    order.forEach(function (name, gi) {
      var members = groups[name];
      var angle = (2 * Math.PI * gi) / Math.max(order.length, 1);
      var cx = name === "" ? 0 : Math.cos(angle) * area * 0.6;
      var cy = name === "" ? 0 : Math.sin(angle) * area * 0.6;
      members.forEach(function (node, k) {
        var r = 14 * Math.sqrt(k + 0.5), a = k * 2.39996;
        x[node] = cx + r * Math.cos(a);
        y[node] = cy + r * Math.sin(a);
      });
    });

    var ctx = canvas.getContext("2d");
    var width = 0, height = 0, scale = 1, offX = 0, offY = 0;

    var settled = false;
    function resize() {
      // While the layout moves, draw at one device pixel per CSS pixel (a quarter of the
      // pixels on a phone): rasterising is what costs most on a slow phone.
      var ratio = settled ? window.devicePixelRatio || 1 : 1;
      width = canvas.clientWidth;
      height = canvas.clientHeight;
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    }

    function fit() {
      var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (var k = 0; k < n; k++) {
        if (x[k] < minX) minX = x[k];
        if (x[k] > maxX) maxX = x[k];
        if (y[k] < minY) minY = y[k];
        if (y[k] > maxY) maxY = y[k];
      }
      if (!n) return;
      var w = Math.max(maxX - minX, 1), h = Math.max(maxY - minY, 1);
      scale = Math.min((width - 24) / w, (height - 24) / h);
      offX = (width - w * scale) / 2 - minX * scale;
      offY = (height - h * scale) / 2 - minY * scale;
    }

    function draw(selected) {
      var began = now();
      paint(selected);
      stats.draws++;
      stats.maxDraw = Math.max(stats.maxDraw, now() - began);
    }

    function paint(selected) {
      fit();
      ctx.clearRect(0, 0, width, height);
      var radius = Math.max(2, Math.min(6, scale * 6));
      var method, k, a, b;
      for (method in COLOURS) {
        ctx.strokeStyle = COLOURS[method];
        ctx.globalAlpha = 0.45;
        ctx.lineWidth = 1;
        ctx.beginPath();
        for (k = 0; k < edges.length; k++) {
          if (edges[k][2] !== method) continue;
          a = edges[k][0]; b = edges[k][1];
          var ax = x[a] * scale + offX, ay = y[a] * scale + offY;
          var bx = x[b] * scale + offX, by = y[b] * scale + offY;
          var len = Math.sqrt((bx - ax) * (bx - ax) + (by - ay) * (by - ay)) || 1;
          var ux = (bx - ax) / len, uy = (by - ay) / len;
          var tx = bx - ux * (radius + 1), ty = by - uy * (radius + 1);
          ctx.moveTo(ax, ay);
          ctx.lineTo(tx, ty);
          if (!settled) continue;
          // arrow head at the consumer (once the layout has settled)
          ctx.moveTo(tx, ty);
          ctx.lineTo(tx - ux * 5 - uy * 3, ty - uy * 5 + ux * 3);
          ctx.moveTo(tx, ty);
          ctx.lineTo(tx - ux * 5 + uy * 3, ty - uy * 5 - ux * 3);
        }
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
      ctx.lineWidth = 1;
      ctx.strokeStyle = "#ffffff";
      for (var national = 0; national < 2; national++) {
        ctx.fillStyle = national ? "#d9962b" : "#3b6ea8";
        ctx.beginPath();
        for (k = 0; k < n; k++) {
          if ((nodes[k].national ? 1 : 0) !== national) continue;
          var px = x[k] * scale + offX, py = y[k] * scale + offY;
          var r = radius + Math.min(4, degree[k] / 4);
          if (national) {
            ctx.rect(px - r, py - r, 2 * r, 2 * r);
          } else {
            ctx.moveTo(px + r, py);
            ctx.arc(px, py, r, 0, 2 * Math.PI);
          }
        }
        ctx.fill();
      }
      if (n <= 80 || scale > 1.2) {
        ctx.fillStyle = "#222";
        ctx.font = "11px sans-serif";
        for (k = 0; k < n; k++) ctx.fillText(nodes[k].label, x[k] * scale + offX + radius + 2, y[k] * scale + offY + 3);
      }
      if (selected !== undefined && selected !== null) {
        ctx.strokeStyle = "#000";
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.arc(x[selected] * scale + offX, y[selected] * scale + offY, radius + 5, 0, 2 * Math.PI);
        ctx.stroke();
      }
    }

    // One force step: springs on edges, repulsion between nodes in neighbouring grid cells.
    var K = 40, temperature = area / 8;
    function step() {
      var k, j, cell = K * 2, grid = {};
      dx.fill(0); dy.fill(0);
      for (k = 0; k < n; k++) {
        var key = Math.floor(x[k] / cell) + ":" + Math.floor(y[k] / cell);
        (grid[key] || (grid[key] = [])).push(k);
      }
      for (k = 0; k < n; k++) {
        var gx = Math.floor(x[k] / cell), gy = Math.floor(y[k] / cell);
        for (var ox = -1; ox <= 1; ox++) {
          for (var oy = -1; oy <= 1; oy++) {
            var bucket = grid[(gx + ox) + ":" + (gy + oy)];
            if (!bucket) continue;
            for (j = 0; j < bucket.length; j++) {
              var m = bucket[j];
              if (m === k) continue;
              var rx = x[k] - x[m], ry = y[k] - y[m];
              var d2 = rx * rx + ry * ry + 0.01;
              if (d2 > cell * cell) continue;
              var f = (K * K) / d2;
              dx[k] += rx * f; dy[k] += ry * f;
            }
          }
        }
        // weak pull to the centre keeps islands on the canvas
        dx[k] -= x[k] * 0.01; dy[k] -= y[k] * 0.01;
      }
      for (k = 0; k < edges.length; k++) {
        var a = edges[k][0], b = edges[k][1];
        var ex = x[a] - x[b], ey = y[a] - y[b];
        var dist = Math.sqrt(ex * ex + ey * ey) || 0.01;
        var pull = dist / K;
        dx[a] -= ex * pull; dy[a] -= ey * pull;
        dx[b] += ex * pull; dy[b] += ey * pull;
      }
      for (k = 0; k < n; k++) {
        var len = Math.sqrt(dx[k] * dx[k] + dy[k] * dy[k]) || 1;
        var move = Math.min(len, temperature);
        x[k] += (dx[k] / len) * move;
        y[k] += (dy[k] / len) * move;
      }
      temperature *= 0.97;
      stats.steps++;
    }

    var selected = null;
    function finish() {
      settled = true;
      resize();
      draw(selected);
      stats.done = now() - t0;
      canvas.setAttribute("data-state", "done");
    }

    // Fallback without workers: the same layout in slices of a few ms per frame.
    function frame() {
      var begin = now();
      while (stats.steps < MAX_STEPS && now() - begin < SLICE_MS) {
        var s0 = now();
        step();
        stats.maxStep = Math.max(stats.maxStep, now() - s0);
      }
      if (stats.steps < MAX_STEPS && temperature > 0.5) {
        if (stats.steps % 8 === 0) draw(selected);
        window.requestAnimationFrame(frame);
      } else {
        finish();
      }
    }

    function layOut() {
      var url = canvas.getAttribute("data-worker");
      if (!url || !window.Worker) {
        window.requestAnimationFrame(frame);
        return;
      }
      var worker = new Worker(url);
      var pairs = new Int32Array(edges.length * 2);
      for (var k = 0; k < edges.length; k++) {
        pairs[2 * k] = edges[k][0];
        pairs[2 * k + 1] = edges[k][1];
      }
      stats.worker = true;
      worker.onmessage = function (event) {
        x.set(event.data.x);
        y.set(event.data.y);
        stats.steps = event.data.steps;
        if (event.data.done) {
          worker.terminate();
          finish();
        } else {
          window.requestAnimationFrame(function () { draw(selected); });
        }
      };
      worker.onerror = function () {
        stats.worker = false;
        window.requestAnimationFrame(frame);
      };
      worker.postMessage({ x: x, y: y, edges: pairs, area: area, steps: MAX_STEPS });
    }

    canvas.addEventListener("click", function (event) {
      var rect = canvas.getBoundingClientRect();
      var mx = event.clientX - rect.left, my = event.clientY - rect.top, best = null, bestD = 400;
      for (var k = 0; k < n; k++) {
        var ddx = x[k] * scale + offX - mx, ddy = y[k] * scale + offY - my, d = ddx * ddx + ddy * ddy;
        if (d < bestD) { bestD = d; best = k; }
      }
      selected = best;
      var label = document.getElementById("graph-selected");
      if (label) label.textContent = best === null ? "" : nodes[best].name + (nodes[best].unit ? " — " + nodes[best].unit : "") + " (" + degree[best] + ")";
      draw(selected);
    });
    window.addEventListener("resize", function () { resize(); draw(selected); });

    resize();
    draw(null);
    stats.firstDraw = now() - t0;
    canvas.setAttribute("data-state", "drawn");
    layOut();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
