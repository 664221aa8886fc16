// Data entry autosave: each cell is saved on its own, shortly after the user stops typing.
// What the user typed is kept in localStorage until the server acknowledges it, so a flaky
// connection, a closed tab or a reload loses nothing; failed sends are retried with backoff.
// A validation error (wrong type, min/max without comment, locked period) is shown beside
// the cell and not retried: the typed value stays in the field.
(function () {
  "use strict";
  const form = document.getElementById("entry-form");
  if (!form) return;
  const url = form.dataset.cellUrl;
  const storeKey = form.dataset.storageKey;
  const label = (name) => form.dataset["label" + name[0].toUpperCase() + name.slice(1)] || name;
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const DEBOUNCE_MS = 600;
  const MAX_BACKOFF_MS = 60000;
  const cells = new Map();

  function loadPending() {
    try {
      return JSON.parse(localStorage.getItem(storeKey) || "{}");
    } catch (e) {
      return {};
    }
  }
  function savePending(pending) {
    try {
      if (Object.keys(pending).length) localStorage.setItem(storeKey, JSON.stringify(pending));
      else localStorage.removeItem(storeKey);
    } catch (e) {
      /* storage full or disabled: the retry loop still holds the edit in memory */
    }
  }
  function setPending(key, edit) {
    const pending = loadPending();
    if (edit) pending[key] = edit;
    else delete pending[key];
    savePending(pending);
  }

  function setState(cell, state, text) {
    const el = cell.td.querySelector(".cell-state");
    el.dataset.state = state;
    el.textContent = text || (state ? label(state) : "");
  }
  function showWarnings(cell, warnings) {
    const list = cell.td.querySelector(".cell-warnings");
    list.replaceChildren(
      ...warnings.map((w) => {
        const li = document.createElement("li");
        li.textContent = w;
        return li;
      }),
    );
  }

  function current(cell) {
    return { value: cell.input.value, comment: cell.comment ? cell.comment.value : "" };
  }

  function schedule(cell, delay) {
    clearTimeout(cell.timer);
    cell.timer = setTimeout(() => send(cell), delay);
  }

  // The "before submitting" list was computed when the page loaded. Its "compulsory cells
  // are empty" items are recomputed from the cells (a cell whose value the server refused
  // counts as empty); the other items (a comment missing beside an out-of-range value, a
  // returned value) stay until the server answers the submit. The list hides only when
  // nothing in it blocks any more.
  function refreshBlocking() {
    const blocking = document.querySelector("[data-testid=blocking]");
    if (!blocking) return;
    const required = form.querySelectorAll("tr[data-compulsory] td[data-entry-cell]");
    const empty = Array.from(required).some((td) => {
      const input = td.querySelector("input[name^='v-'], select[name^='v-']");
      const state = td.querySelector(".cell-state");
      return !input || !input.value.trim() || (state && state.dataset.state === "error");
    });
    const items = Array.from(blocking.querySelectorAll("li"));
    items.forEach((li) => {
      if (li.dataset.blocking === "missing") li.hidden = !empty;
    });
    blocking.hidden = items.every((li) => li.hidden);
  }

  function edited(cell) {
    const edit = current(cell);
    edit.commentTouched = cell.commentTouched;
    setPending(cell.key, edit);
    setState(cell, "unsaved");
    cell.backoff = 1000;
    schedule(cell, DEBOUNCE_MS);
    refreshBlocking();
  }

  async function send(cell) {
    if (cell.inFlight) {
      cell.again = true;
      return;
    }
    const edit = current(cell);
    const body = {
      element: cell.td.dataset.element,
      combo: cell.td.dataset.combo,
      value: edit.value,
    };
    if (cell.commentTouched) body.comment = edit.comment;
    cell.inFlight = true;
    setState(cell, "saving");
    let response = null;
    try {
      response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(body),
      });
    } catch (e) {
      response = null;
    }
    cell.inFlight = false;
    if (response && response.status < 500 && response.status !== 429) {
      let data = {};
      try {
        data = await response.json();
      } catch (e) {
        data = { ok: false, error: response.statusText };
      }
      const now = current(cell);
      const stale = now.value !== edit.value || now.comment !== edit.comment;
      if (data.ok) {
        if (!stale) setPending(cell.key, null);
        setState(cell, stale ? "unsaved" : "saved");
        showWarnings(cell, data.warnings || []);
      } else {
        setState(cell, "error", data.error || response.statusText);
        if (data.code === "needs_comment" && cell.comment) {
          cell.comment.closest("details").open = true;
        }
      }
      refreshBlocking();
      if (stale || cell.again) {
        cell.again = false;
        schedule(cell, DEBOUNCE_MS);
      }
      updateConnection();
      return;
    }
    // Network failure or server trouble: keep the edit, try again later.
    setState(cell, "offline");
    cell.backoff = Math.min((cell.backoff || 1000) * 2, MAX_BACKOFF_MS);
    schedule(cell, cell.backoff);
    updateConnection();
  }

  function updateConnection() {
    const waiting = Object.keys(loadPending()).length;
    const el = document.getElementById("entry-connection");
    if (el) el.textContent = waiting ? label("pending") : "";
  }

  form.querySelectorAll("[data-entry-cell]").forEach((td) => {
    const input = td.querySelector("input[name^='v-'], select[name^='v-']");
    const comment = td.querySelector("textarea[name^='c-']");
    if (!input || input.disabled) return;
    const cell = { td, input, comment, key: td.dataset.entryCell, commentTouched: false };
    cells.set(cell.key, cell);
    input.addEventListener(input.tagName === "SELECT" ? "change" : "input", () => edited(cell));
    input.addEventListener("blur", () => {
      if (loadPending()[cell.key]) schedule(cell, 0);
    });
    if (comment) {
      comment.addEventListener("input", () => {
        cell.commentTouched = true;
        edited(cell);
      });
    }
  });

  // Typed on a slow connection before this script ran: nothing heard the input, so these
  // cells are sent now (and win over an older unsent edit of the same cell).
  function typedEarly(cell) {
    const input = cell.input;
    if (cell.comment && cell.comment.value !== cell.comment.defaultValue) return true;
    if (input.tagName !== "SELECT") return input.value !== input.defaultValue;
    const options = Array.from(input.options);
    const initial = Math.max(0, options.findIndex((o) => o.defaultSelected));
    return input.selectedIndex !== initial;
  }
  const early = new Set(Array.from(cells.values()).filter(typedEarly));

  // Restore edits the server never acknowledged (a reload, a crash, a lost connection).
  const pending = loadPending();
  for (const [key, edit] of Object.entries(pending)) {
    const cell = cells.get(key);
    if (!cell || early.has(cell)) continue;
    cell.input.value = edit.value;
    if (cell.comment && edit.commentTouched) {
      cell.comment.value = edit.comment;
      cell.commentTouched = true;
    }
    setState(cell, "unsaved");
    schedule(cell, 0);
  }
  for (const cell of early) {
    if (cell.comment && cell.comment.value !== cell.comment.defaultValue) {
      cell.commentTouched = true;
    }
    edited(cell);
  }
  updateConnection();
  form.dataset.ready = "1"; // autosave is listening (browser tests wait for this)

  window.addEventListener("online", () => {
    for (const key of Object.keys(loadPending())) {
      const cell = cells.get(key);
      if (cell) schedule(cell, 0);
    }
  });

  const submit = document.getElementById("entry-submit");
  if (submit) {
    submit.addEventListener("submit", (event) => {
      if (Object.keys(loadPending()).length) {
        event.preventDefault();
        window.alert(label("pending"));
      }
    });
  }
})();
