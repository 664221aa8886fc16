// What-if simulator: the index is linear in the levels, Σ weight·level / divisor, so the page
// recomputes it in the browser as levels move. Figures match padu/evaluation/scoring.py; the
// page states that nothing is saved.
(function () {
  const source = document.getElementById("simulator-model");
  if (!source) return;
  const model = JSON.parse(source.textContent);
  const divisor = parseFloat(model.divisor);
  const items = new Map(model.items.map((i) => [String(i.id), i]));
  const selects = Array.from(document.querySelectorAll("[data-sim-item]"));
  const out = (name) => document.querySelector(`[data-sim="${name}"]`);
  const round2 = (n) => Math.round((n + 1e-9) * 100) / 100;
  // The page's language sets the decimal mark, as Django does on the server: "2,98" in Indonesian.
  const number = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    useGrouping: false,
  });
  const fmt = (n) => number.format(round2(n) + 0); // + 0 turns -0 into 0

  function predicate(rounded) {
    for (const band of model.bands) {
      const low = parseFloat(band.min);
      const high = parseFloat(band.max);
      if (rounded >= low && (band.inclusive ? rounded <= high : rounded < high)) return band.name;
    }
    return "—";
  }

  function index(useStart) {
    let total = 0;
    const domains = {};
    for (const select of selects) {
      const item = items.get(select.dataset.simItem);
      const level = parseInt(useStart ? select.dataset.start : select.value, 10);
      const product = parseFloat(item.weight) * level;
      total += product;
      if (item.domain) domains[item.domain] = (domains[item.domain] || 0) + product;
    }
    return { index: total / divisor, domains };
  }

  function render() {
    const now = index(false);
    const start = index(true);
    const rounded = round2(now.index);
    out("index").textContent = fmt(now.index);
    out("predicate").textContent = predicate(rounded);
    const delta = now.index - start.index;
    out("delta").textContent = (delta >= 0 ? "+" : "") + fmt(delta);
    for (const [code, weight] of Object.entries(model.domains)) {
      const bar = document.querySelector(`[data-sim-domain="${code}"]`);
      if (!bar) continue;
      const value = (now.domains[code] || 0) / parseFloat(weight);
      bar.style.setProperty("--value", `${(value / model.max) * 100}%`);
      bar.querySelector("span").textContent = fmt(value);
    }
  }

  selects.forEach((s) => s.addEventListener("change", render));
  render();
})();
