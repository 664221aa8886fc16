// What-if simulator: the index is linear in the values, Σ weight·value / divisor, so the page
// recomputes it in the browser as levels move (or, on Pemdi 8/2026, as values are typed).
// Arithmetic is on integers (values in hundredths times scaled weights), so there is no
// floating drift; figures are rounded by the instrument's rule (half to even for Pemdi:
// an exact 1.605 shows 1,60) and match padu/evaluation/scoring.py. Nothing is saved.
(function () {
  const source = document.getElementById("simulator-model");
  if (!source) return;
  const model = JSON.parse(source.textContent);
  const halfEven = model.rounding === "half_even";

  // "2.75" -> 275 at places 2; refuses more places than asked (never silently rounds).
  function scaled(text, places) {
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(text).trim());
    if (!match || (match[3] || "").length > places) throw new Error(`bad number ${text}`);
    const whole = parseInt(match[2] + (match[3] || "").padEnd(places, "0"), 10);
    return match[1] ? -whole : whole;
  }

  // Weights, divisor, aspect and domain weights share one scale: 10^places.
  const numbers = [model.divisor, ...model.items.map((i) => i.weight)];
  const places = Math.max(0, ...numbers.map((n) => (String(n).split(".")[1] || "").length));
  const divisor = scaled(model.divisor, places);
  const items = new Map(
    model.items.map((i) => [String(i.id), { ...i, w: scaled(i.weight, places), s: scaled(i.start, 2) }]),
  );
  const weightsOf = (group) =>
    Object.fromEntries(Object.entries(group || {}).map(([k, w]) => [k, scaled(w, places)]));
  const aspectWeights = weightsOf(model.aspects);
  const domainWeights = weightsOf(model.domains);
  const bands = model.bands.map((b) => ({ ...b, low: scaled(b.min, 2), high: scaled(b.max, 2) }));
  const inputs = Array.from(document.querySelectorAll("[data-sim-item]"));
  const out = (name) => document.querySelector(`[data-sim="${name}"]`);

  // n / d rounded to a whole number by the instrument's rule (d > 0; halves away from zero
  // for half up, to the even neighbour for half even), all in integers.
  function roundDiv(n, d) {
    const sign = n < 0 ? -1 : 1;
    const a = Math.abs(n);
    let q = Math.floor(a / d);
    let r = a - q * d;
    if (r < 0) { q -= 1; r += d; }
    if (r >= d) { q += 1; r -= d; }
    if (2 * r > d || (2 * r === d && (!halfEven || q % 2 === 1))) q += 1;
    return sign * q;
  }

  // The page's language sets the decimal mark, as Django does on the server: "2,98" in Indonesian.
  const lang = document.documentElement.lang || undefined;
  const mark =
    new Intl.NumberFormat(lang).formatToParts(1.5).find((p) => p.type === "decimal")?.value || ".";

  // A figure in hundredths as text: 160 -> "1,60".
  function fmt(hundredths) {
    const a = Math.abs(hundredths);
    const text = `${Math.floor(a / 100)}${mark}${String(a % 100).padStart(2, "0")}`;
    return hundredths < 0 ? `-${text}` : text;
  }

  // The exact figure n / d when d is a power of ten (Pemdi: 1,605), else "".
  function exact(n, d) {
    if (!/^10*$/.test(String(d))) return "";
    const digits = String(d).length - 1;
    const body = String(Math.abs(n)).padStart(digits + 1, "0");
    let frac = body.slice(body.length - digits).replace(/0+$/, "");
    frac = frac.padEnd(2, "0");
    return `${n < 0 ? "-" : ""}${body.slice(0, body.length - digits)}${mark}${frac}`;
  }

  // A typed value ("1,26" or "1.26") in hundredths, or null when it is not an allowed value.
  function parseValue(text) {
    const match = /^\s*(\d+)(?:[.,](\d{1,2}))?\s*$/.exec(text);
    if (!match) return null;
    const cents = parseInt(match[1], 10) * 100 + parseInt((match[2] || "0").padEnd(2, "0"), 10);
    return cents >= model.min * 100 && cents <= model.max * 100 ? cents : null;
  }
  // Could still become a value by typing on ("2," or "2,4"): no message while typing that.
  const mayGrow = (text) => /^\s*\d{0,2}(?:[.,]\d{0,2})?\s*$/.test(text);

  function valueOf(input, item, useStart) {
    if (useStart) return item.s;
    if (!model.decimal) return parseInt(input.value, 10) * 100;
    const cents = parseValue(input.value);
    return cents === null ? item.s : cents; // a bad entry is not used
  }

  function sums(useStart) {
    let total = 0;
    const aspects = {};
    const domains = {};
    for (const input of inputs) {
      const item = items.get(input.dataset.simItem);
      const product = valueOf(input, item, useStart) * item.w;
      total += product;
      aspects[item.aspect] = (aspects[item.aspect] || 0) + product;
      if (item.domain) domains[item.domain] = (domains[item.domain] || 0) + product;
    }
    return { total, aspects, domains };
  }

  function predicate(hundredths) {
    for (const band of bands) {
      const below = band.inclusive ? hundredths <= band.high : hundredths < band.high;
      if (hundredths >= band.low && below) return band.name;
    }
    return "—";
  }

  // Sum of products over a group weight, in hundredths (the floor when the weight is 0).
  const groupFigure = (sum, weight) => (weight ? roundDiv(sum, weight) : model.min * 100);

  function showBars(attribute, weights, values) {
    for (const [code, weight] of Object.entries(weights)) {
      const bar = document.querySelector(`[data-${attribute}="${code}"]`);
      if (!bar) continue;
      const value = groupFigure(values[code] || 0, weight);
      bar.style.setProperty("--value", `${(value / (model.max * 100)) * 100}%`);
      bar.querySelector("span").textContent = fmt(value);
    }
  }

  function render() {
    const now = sums(false);
    const start = sums(true);
    const index = roundDiv(now.total, divisor);
    out("index").textContent = fmt(index);
    out("predicate").textContent = predicate(index);
    const delta = roundDiv(now.total - start.total, divisor);
    out("delta").textContent = (delta >= 0 ? "+" : "") + fmt(delta);
    const before = out("exact");
    if (before) before.textContent = exact(now.total, divisor * 100) || fmt(index);
    showBars("sim-domain", domainWeights, now.domains);
    showBars("sim-aspect", aspectWeights, now.aspects);
  }

  function check(input, strict) {
    const error = document.querySelector(`[data-sim-error="${input.dataset.simItem}"]`);
    const bad = parseValue(input.value) === null && (strict || !mayGrow(input.value));
    input.setAttribute("aria-invalid", bad ? "true" : "false");
    if (!error) return;
    error.textContent = bad ? model.invalid : "";
    error.hidden = !bad;
  }

  for (const input of inputs) {
    input.addEventListener("change", () => {
      if (model.decimal) check(input, true);
      render();
    });
    if (model.decimal) {
      input.addEventListener("input", () => {
        check(input, input.getAttribute("aria-invalid") === "true");
        render();
      });
    }
  }
  render();
})();
