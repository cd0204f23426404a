// Confirm destructive actions: any form with data-confirm asks before it submits.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// Character counters: <span data-counter-for="input-id" data-max="24">0/24</span>.
document.addEventListener("input", (event) => {
  const input = event.target;
  if (!input.id) return;
  document.querySelectorAll(`[data-counter-for="${input.id}"]`).forEach((counter) => {
    const length = Array.from(input.value).length;
    counter.textContent = `${length}/${counter.dataset.max}`;
    counter.classList.toggle("text-danger", length > Number(counter.dataset.max));
  });
});

// Proof uploads: refuse files over data-max-bytes or of another type before they are sent (the server checks again).
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.maxBytes) return;
  const file = input.files && input.files[0];
  let message = "";
  if (file && file.size > Number(input.dataset.maxBytes)) {
    message = input.dataset.tooLarge || "Too large";
  } else if (file && !/\.(pdf|jpe?g|png)$/i.test(file.name) && !/^(application\/pdf|image\/(jpeg|png))$/.test(file.type)) {
    message = input.dataset.badType || "Wrong type";
  }
  input.setCustomValidity(message);
  if (message) input.reportValidity();
});

// The bind wizard: one form, four fieldsets[data-step] shown one at a time; Next validates the visible step,
// step 1 also needs a searched RED ID that allows the chosen mode. Without JavaScript every step shows at once.
(function () {
  const form = document.querySelector("form[data-wizard]");
  if (!form) return;
  const steps = Array.from(form.querySelectorAll("fieldset[data-step]"));
  const indicators = Array.from(document.querySelectorAll("[data-step-indicator]"));
  const hint = form.querySelector("[data-wizard-hint]");
  const redId = form.querySelector("#id_red_id");
  let current = Math.min(Math.max(Number(form.dataset.initialStep) || 1, 1), steps.length);
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

  function showHint(text) {
    if (!hint) return;
    hint.textContent = text;
    hint.classList.toggle("d-none", !text);
    if (text) hint.scrollIntoView({ behavior: "smooth", block: "center" });
  }

  function eligibilityProblem() {
    const mode = checkedMode();
    if (!mode) return form.dataset.msgModeMissing;
    const result = form.querySelector("[data-eligibility]");
    if (!result || result.dataset.found !== "1" || result.dataset.redId !== redId.value.trim()) {
      return form.dataset.msgSearch;
    }
    if (!result.dataset.allowedModes.split(" ").includes(mode.value)) return form.dataset.msgMode;
    return "";
  }

  function validFields(fields, report) {
    for (const field of fields) {
      if (field.name && !field.checkValidity()) {
        if (report) field.reportValidity();
        return false;
      }
    }
    return true;
  }

  // Step 1 checks the account first (mode, RED ID, eligibility), then the employee's details.
  function validStep(number, report) {
    const fields = Array.from(steps[number - 1].querySelectorAll("input, select, textarea"));
    const account = number === 1 ? fields.filter((f) => f.name === "mode" || f.name === "red_id") : [];
    if (!validFields(account, report)) return false;
    if (number === 1) {
      const problem = eligibilityProblem();
      if (report) showHint(problem);
      if (problem) return false;
    }
    return validFields(fields.filter((f) => !account.includes(f)), report);
  }

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

  form.addEventListener("click", (event) => {
    if (event.target.closest("[data-wizard-next]")) {
      if (validStep(current, true)) { showHint(""); show(current + 1, true); }
    } else if (event.target.closest("[data-wizard-back]")) {
      show(current - 1, true);
    }
  });

  form.addEventListener("change", (event) => {
    if (event.target.name === "mode" || event.target.name === "position") {
      syncChoices();
      if (event.target.name === "mode") showHint("");
    }
  });

  // Enter in a text field searches (RED ID) or moves on; it never submits the whole form from an early step.
  form.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.key !== "Enter" || !(target instanceof HTMLInputElement) || target.type === "submit") return;
    event.preventDefault();
    if (target === redId) {
      if (window.htmx) window.htmx.trigger(redId, "search-account");
    } else {
      const next = steps[current - 1].querySelector("[data-wizard-next]");
      if (next) next.click();
    }
  });

  form.addEventListener("submit", (event) => {
    for (let number = 1; number <= steps.length; number += 1) {
      if (!validStep(number, false)) {
        event.preventDefault();
        show(number, true);
        validStep(number, true);
        return;
      }
    }
  });

  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.target && event.target.id === "eligibility") { syncChoices(); fillSummary(); showHint(""); }
  });

  syncChoices();
  show(current, false);
})();

// Selects that submit their form when changed (the language switch): <select data-autosubmit>.
document.addEventListener("change", (event) => {
  if (event.target instanceof HTMLSelectElement && event.target.hasAttribute("data-autosubmit")) {
    event.target.form.submit();
  }
});
