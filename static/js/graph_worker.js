/* Padu integration map: the force layout, run off the main thread (see graph.js).
 * In: {x, y (Float64Array), edges (Int32Array of provider/consumer pairs), area, steps}.
 * Out: {x, y, steps, done} a few times a second, and once when the layout has settled. */
"use strict";

self.onmessage = function (event) {
  var d = event.data;
  var x = d.x, y = d.y, edges = d.edges, n = x.length, m = edges.length / 2;
  var dx = new Float64Array(n), dy = new Float64Array(n);
  var K = 40, cell = K * 2, temperature = d.area / 8;
  var last = Date.now(), steps = 0;
  while (steps < d.steps && temperature > 0.5) {
    var grid = new Map(), k, j;
    dx.fill(0);
    dy.fill(0);
    for (k = 0; k < n; k++) {
      var key = Math.floor(x[k] / cell) * 100003 + Math.floor(y[k] / cell);
      var bucket = grid.get(key);
      if (bucket) bucket.push(k);
      else grid.set(key, [k]);
    }
    for (k = 0; k < n; k++) {
      var gx = Math.floor(x[k] / cell), gy = Math.floor(y[k] / cell);
      for (var ox = -1; ox <= 1; ox++) {
        for (var oy = -1; oy <= 1; oy++) {
          var near = grid.get((gx + ox) * 100003 + gy + oy);
          if (!near) continue;
          for (j = 0; j < near.length; j++) {
            var o = near[j];
            if (o === k) continue;
            var rx = x[k] - x[o], ry = y[k] - y[o], d2 = rx * rx + ry * ry + 0.01;
            if (d2 > cell * cell) continue;
            var f = (K * K) / d2;
            dx[k] += rx * f;
            dy[k] += ry * f;
          }
        }
      }
      dx[k] -= x[k] * 0.01;
      dy[k] -= y[k] * 0.01;
    }
    for (k = 0; k < m; k++) {
      var a = edges[2 * k], b = edges[2 * k + 1];
      var ex = x[a] - x[b], ey = y[a] - y[b];
      var pull = (Math.sqrt(ex * ex + ey * ey) || 0.01) / K;
      dx[a] -= ex * pull;
      dy[a] -= ey * pull;
      dx[b] += ex * pull;
      dy[b] += ey * pull;
    }
    for (k = 0; k < n; k++) {
      var len = Math.sqrt(dx[k] * dx[k] + dy[k] * dy[k]) || 1;
      var move = Math.min(len, temperature);
      x[k] += (dx[k] / len) * move;
      y[k] += (dy[k] / len) * move;
    }
    temperature *= 0.97;
    steps++;
    if (Date.now() - last > 400) {
      last = Date.now();
      self.postMessage({ x: x, y: y, steps: steps, done: false });
    }
  }
  self.postMessage({ x: x, y: y, steps: steps, done: true });
};
