// The bind wizard: one form, four fieldsets[data-step] shown one at a time. 下一步 sends the form to the server's
// step check (data-check-url: the same validation as the submit, answered in the user's language) and moves on only
// when the step is valid; the errors show beside their fields. A valid step 1 keeps its proof as a draft on the
// server: the file is uploaded once and referred to by proof_token afterwards ("Kept: name (size) · Replace").
// Without JavaScript every step shows at once and the final submit alone decides.
(function () {
  const form = document.querySelector("form[data-wizard]");
  if (!form) return;
  const steps = Array.from(form.querySelectorAll("fieldset[data-step]"));
  const indicators = Array.from(document.querySelectorAll("[data-step-indicator]"));
  const refusalBox = form.querySelector("[data-wizard-refusal]");
  const redId = form.querySelector("#id_red_id");
  const proofInput = form.querySelector("#id_proof");
  const proofToken = form.querySelector("[data-proof-token]");
  const kept = form.querySelector("[data-proof-kept]");
  const proofWrap = form.querySelector("[data-proof-input]");
  const replace = form.querySelector("[data-proof-replace]");
  let current = Math.min(Math.max(Number(form.dataset.initialStep) || 1, 1), steps.length);
  let busy = false;
  form.classList.add("wizard-js");

  const checkedMode = () => form.querySelector("input[name=mode]:checked");

  function show(number, focus) {
    current = number;
    steps.forEach((step, i) => step.classList.toggle("is-current", i + 1 === number));
    indicators.forEach((item, i) => {
      item.classList.toggle("active", i + 1 === number);
      item.classList.toggle("done", i + 1 < number);
    });
    fillSummary();
    if (focus) {
      const legend = steps[number - 1].querySelector("legend");
      form.scrollIntoView({ behavior: "smooth", block: "start" });
      if (legend) { legend.tabIndex = -1; legend.focus({ preventScroll: true }); }
    }
  }

  // Errors ------------------------------------------------------------------------------------------------------

  function fieldInputs(name) {
    return Array.from(form.querySelectorAll(`[name="${name}"]`)).filter((el) => el.type !== "hidden");
  }

  function clearErrors(step) {
    step.querySelectorAll("[data-errors-for]").forEach((box) => { box.replaceChildren(); });
    step.querySelectorAll(".is-invalid").forEach((el) => el.classList.remove("is-invalid"));
    if (step.contains(refusalBox)) showRefusal(null);
  }

  function showFieldErrors(fields) {
    let first = null;
    Object.entries(fields).forEach(([name, messages]) => {
      const box = form.querySelector(`[data-errors-for="${name}"]`);
      if (box) {
        box.replaceChildren(...messages.map((text) => {
          const div = document.createElement("div");
          div.className = "invalid-feedback d-block";
          div.textContent = text;
          return div;
        }));
      }
      fieldInputs(name).forEach((el) => { if (el.type !== "radio" && el.type !== "checkbox") el.classList.add("is-invalid"); });
      first = first || box;
    });
    if (first) first.scrollIntoView({ behavior: "smooth", block: "center" });
  }

  function showRefusal(refusal) {
    if (!refusalBox) return;
    refusalBox.replaceChildren();
    refusalBox.classList.toggle("d-none", !refusal);
    if (!refusal) return;
    const strong = document.createElement("strong");
    strong.textContent = refusal.message;
    refusalBox.append(strong);
    if (refusal.facts && refusal.facts.length) {
      const list = document.createElement("ul");
      list.className = "mb-0 mt-1";
      refusal.facts.forEach((text) => {
        const item = document.createElement("li");
        item.textContent = text;
        list.append(item);
      });
      refusalBox.append(list);
    }
    refusalBox.scrollIntoView({ behavior: "smooth", block: "center" });
  }

  // The kept proof --------------------------------------------------------------------------------------------------

  function showKept(proof) {
    if (!kept) return;
    const has = Boolean(proof && proof.token) || Boolean(proofToken.value);
    if (proof) {
      proofToken.value = proof.token;
      kept.querySelector("[data-proof-name]").textContent = proof.name;
      kept.querySelector("[data-proof-size]").textContent = proof.size;
      proofInput.value = "";  // uploaded once: the token stands for it from now on
    }
    kept.classList.toggle("d-none", !has);
    replace.hidden = !has;
    proofWrap.classList.toggle("d-none", has && !proofInput.value);
    proofInput.required = !has;
  }

  replace.addEventListener("click", () => {
    proofWrap.classList.remove("d-none");
    proofInput.click();
  });

  // The step check ----------------------------------------------------------------------------------------------------

  async function checkStep(number) {
    const step = steps[number - 1];
    clearErrors(step);
    // A file the browser already knows is too large or of another type is not sent (static/js/app.js says why).
    if (number === 1 && proofInput.files.length && !proofInput.checkValidity()) {
      showFieldErrors({ proof: [proofInput.validationMessage] });
      return false;
    }
    const data = new FormData(form);
    data.set("step", String(number));
    if (number !== 1 || !proofInput.files.length) data.delete("proof");
    let answer;
    try {
      const response = await fetch(form.dataset.checkUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": data.get("csrfmiddlewaretoken"), Accept: "application/json" },
      });
      answer = await response.json();
    } catch (error) {
      showFieldErrors({});
      showRefusal({ message: form.dataset.msgUnreachable, facts: [] });
      return false;
    }
    if (answer.proof) showKept(answer.proof);
    if (answer.valid) return true;
    showFieldErrors(answer.fields || {});
    if (answer.refusal) showRefusal(answer.refusal);
    else if (!Object.keys(answer.fields || {}).length) showRefusal({ message: answer.detail || form.dataset.msgStepInvalid, facts: [] });
    return false;
  }

  async function next() {
    if (busy) return;
    busy = true;
    const button = steps[current - 1].querySelector("[data-wizard-next]");
    if (button) button.disabled = true;
    try {
      if (await checkStep(current)) {
        if (current === 1) searchIfNeeded();
        show(current + 1, true);
      }
    } finally {
      busy = false;
      if (button) button.disabled = false;
    }
  }

  // The account panel shows the nickname used by the summary and the badge preview.
  function searchIfNeeded() {
    const result = form.querySelector("[data-eligibility]");
    if (window.htmx && (!result || result.dataset.redId !== redId.value.trim())) window.htmx.trigger(redId, "search-account");
  }

  // Choices and summary -------------------------------------------------------------------------------------------

  function syncChoices() {
    form.querySelectorAll(".mode-card, .position-card").forEach((card) => {
      const input = card.querySelector("input[type=radio]");
      card.classList.toggle("selected", Boolean(input && input.checked));
    });
    const mode = checkedMode();
    form.querySelectorAll("[data-mode-verdict]").forEach((row) => {
      row.classList.toggle("is-chosen", Boolean(mode && row.dataset.modeVerdict === mode.value));
    });
    const position = form.querySelector("input[name=position]:checked");
    const badge = form.querySelector("[data-badge-position]");
    if (badge) badge.textContent = position ? position.dataset.label : "…";
    const result = form.querySelector("[data-eligibility]");
    const nickname = result && result.dataset.nickname;
    form.querySelectorAll("[data-summary=nickname]").forEach((el) => { el.textContent = nickname || "—"; });
    form.querySelectorAll("[data-summary-avatar]").forEach((el) => { el.textContent = (nickname || "?").slice(0, 1); });
  }

  function fillSummary() {
    const value = (name) => (form.elements[name] && form.elements[name].value ? form.elements[name].value.trim() : "");
    const mode = checkedMode();
    const position = form.querySelector("input[name=position]:checked");
    const result = form.querySelector("[data-eligibility]");
    const id = value("id_number");
    const masked = id.length === 18 ? `${id.slice(0, 6)}********${id.slice(14)}` : id;
    const set = (key, text) => form.querySelectorAll(`[data-summary=${key}]`).forEach((el) => { el.textContent = text || "—"; });
    set("mode", mode && mode.dataset.label);
    set("account", value("red_id") && [result && result.dataset.nickname, value("red_id")].filter(Boolean).join(" · "));
    set("employee", value("name") && [value("name"), masked].filter(Boolean).join(" · "));
    set("position", position && position.dataset.label);
    set("region", value("region"));
  }

  // Events ----------------------------------------------------------------------------------------------------------

  form.addEventListener("click", (event) => {
    if (event.target.closest("[data-wizard-next]")) {
      next();
    } else if (event.target.closest("[data-wizard-back]")) {
      show(current - 1, true);
    }
  });

  form.addEventListener("change", (event) => {
    if (event.target.name === "mode" || event.target.name === "position") syncChoices();
    if (event.target.name === "mode") showRefusal(null);
  });

  // Enter in a text field searches (RED ID) or moves on; it never submits the whole form from an early step.
  form.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.key !== "Enter" || !(target instanceof HTMLInputElement) || target.type === "submit") return;
    event.preventDefault();
    if (target === redId) {
      if (window.htmx) window.htmx.trigger(redId, "search-account");
    } else if (steps[current - 1].querySelector("[data-wizard-next]")) {
      next();
    }
  });

  // The last step is checked by the submit itself: the server validates every field again and, when it refuses,
  // renders the wizard at the first step in error with the proof still kept.
  form.addEventListener("submit", (event) => {
    if (busy) event.preventDefault();
  });

  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.target && event.target.id === "eligibility") { syncChoices(); fillSummary(); }
  });

  showKept(null);
  syncChoices();
  show(current, false);
})();
