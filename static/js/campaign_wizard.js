// The campaign wizard: one form, four fieldsets[data-step] shown one at a time; Next checks the visible step.
// The goal (C04) proposes an objective and keyword types and splits the budget between feed and search; with
// "split", the placement is not asked (two campaigns are made). Without JavaScript every step shows at once.
(function () {
  const form = document.querySelector("form[data-campaign-wizard]");
  if (!form) return;
  const steps = Array.from(form.querySelectorAll("fieldset[data-step]"));
  const indicators = Array.from(document.querySelectorAll("[data-step-indicator]"));
  const msg = form.dataset;
  const refused = document.querySelector("[data-testid=form-errors]");  // the server refused the last submit
  const firstError = refused && form.querySelector(".is-invalid, .invalid-feedback, div.text-danger");
  let current = 1;
  form.classList.add("wizard-js");

  const $ = (selector) => form.querySelector(selector);
  const checked = (name) => form.querySelector(`input[name="${name}"]:checked`);
  const labelOf = (input) => (input ? (form.querySelector(`label[for="${input.id}"]`) || {}).textContent || input.value : "");
  const goal = () => checked("goal");
  const split = () => $("#id_split").checked && goal() && goal().value;

  function money(value) {
    return "¥" + Number(value).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function splitAmounts() {
    const budget = Number($("#id_budget").value || 0);
    const share = Number((goal() && goal().dataset.feedShare) || 1);
    const feed = Math.round(budget * share * 100) / 100;
    return { feed, search: Math.round((budget - feed) * 100) / 100 };
  }

  function syncGoal() {
    const chosen = goal();
    const isSplit = Boolean(split());
    $("#id_split").disabled = !(chosen && chosen.value);
    form.querySelectorAll("[data-budget-label-single]").forEach((el) => { el.hidden = isSplit; });
    form.querySelectorAll("[data-budget-label-split]").forEach((el) => { el.hidden = !isSplit; });
    form.querySelector("[data-placement-choice]").hidden = isSplit;
    form.querySelector("[data-placement-split]").hidden = !isSplit;
    const preview = form.querySelector("[data-split-preview]");
    if (isSplit && $("#id_budget").value) {
      const amounts = splitAmounts();
      preview.textContent = `${msg.labelFeed} ${money(amounts.feed)} · ${msg.labelSearch} ${money(amounts.search)}`;
    } else {
      preview.textContent = "";
    }
    document.querySelectorAll(".goal-card").forEach((card) => {
      card.classList.toggle("border-primary", card.contains(chosen));
    });
    const suggestion = form.querySelector("[data-keyword-suggestion]");
    const card = chosen && chosen.closest(".goal-card");
    suggestion.textContent = card ? Array.from(card.querySelectorAll(".badge")).map((b) => b.textContent).join(" · ") : msg.labelNone;
  }

  function placement() {
    if (split()) return "search";
    const input = checked("placement");
    return input ? input.value : "";
  }

  function problems(number) {
    const found = [];
    if (number === 2) {
      if (!$("#id_name").value.trim()) found.push([$("#id_name"), msg.msgName]);
      const budget = Number($("#id_budget").value || 0);
      const smallest = split() ? Math.min(splitAmounts().feed, splitAmounts().search) : budget;
      if (!budget || smallest < Number($("#id_budget").min)) found.push([$("#id_budget"), msg.msgBudget]);
      if (!$("#id_start_date").value) found.push([$("#id_start_date"), msg.msgStart]);
    }
    if (number === 3) {
      if (!form.querySelector('input[name="note_ids"]:checked')) found.push([null, msg.msgNotes]);
      const words = Array.from(form.querySelectorAll('input[name="keyword_text"]')).filter((input) => input.value.trim());
      if (placement() === "search" && words.length === 0) found.push([form.querySelector('input[name="keyword_text"]'), msg.msgKeywords]);
    }
    return found;
  }

  function report(found, step) {
    step.querySelectorAll("[data-step-problem]").forEach((el) => el.remove());
    if (!found.length) return true;
    const box = document.createElement("div");
    box.className = "alert alert-danger py-2";
    box.dataset.stepProblem = "";
    box.setAttribute("role", "alert");
    found.forEach(([, text]) => { const line = document.createElement("div"); line.textContent = text; box.appendChild(line); });
    step.querySelector("legend").after(box);
    const [input] = found[0];
    if (input) input.focus();
    return false;
  }

  function summary() {
    const set = (key, text) => { form.querySelector(`[data-summary="${key}"]`).textContent = text || msg.labelNone; };
    const chosen = goal();
    set("goal", chosen && chosen.value ? chosen.closest(".goal-card").querySelector(".form-check-label").textContent : "");
    set("name", $("#id_name").value);
    set("objective", labelOf(checked("objective")));
    set("placement", split() ? `${msg.labelFeed} + ${msg.labelSearch}` : labelOf(checked("placement")));
    const amounts = splitAmounts();
    set("budget", split() ? `${msg.labelFeed} ${money(amounts.feed)} · ${msg.labelSearch} ${money(amounts.search)}` : ($("#id_budget").value ? money($("#id_budget").value) : ""));
    set("dates", [$("#id_start_date").value, $("#id_end_date").value].filter(Boolean).join(" – "));
    set("notes", Array.from(form.querySelectorAll('input[name="note_ids"]:checked')).map((box) => box.dataset.title).join("、"));
    set("keywords", Array.from(form.querySelectorAll("[data-keyword-row]")).map((row) => {
      const text = row.querySelector("input").value.trim();
      const type = row.querySelector("select");
      return text ? `${text}（${type.value ? type.options[type.selectedIndex].text : "—"}）` : "";
    }).filter(Boolean).join("、"));
    set("components", Array.from(form.querySelectorAll('input[name="components"]:checked')).map(labelOf).map((t) => t.trim()).join("、"));
  }

  function show(number) {
    current = number;
    steps.forEach((step, i) => step.classList.toggle("is-current", i + 1 === number));
    indicators.forEach((item, i) => {
      item.classList.toggle("active", i + 1 === number);
      item.classList.toggle("done", i + 1 < number);
    });
    if (number === 4) summary();
    form.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  form.addEventListener("click", (event) => {
    if (event.target.matches("[data-next]")) {
      if (report(problems(current), steps[current - 1])) show(current + 1);
    } else if (event.target.matches("[data-back]")) {
      show(current - 1);
    } else if (event.target.matches("[data-add-keyword]")) {
      const rows = form.querySelector("[data-keyword-rows]");
      const row = rows.querySelector("[data-keyword-row]").cloneNode(true);
      row.querySelector("input").value = "";
      row.querySelector("select").selectedIndex = 0;
      rows.appendChild(row);
      row.querySelector("input").focus();
    }
  });
  form.addEventListener("change", (event) => {
    if (event.target.name === "goal" && event.target.dataset.objective && !checked("objective")) {
      const objective = form.querySelector(`input[name="objective"][value="${event.target.dataset.objective}"]`);
      if (objective) objective.checked = true;
    }
    syncGoal();
  });
  form.addEventListener("input", (event) => { if (event.target.id === "id_budget") syncGoal(); });
  form.addEventListener("submit", (event) => {
    for (let number = 2; number <= 3; number += 1) {
      if (!report(problems(number), steps[number - 1])) { event.preventDefault(); show(number); return; }
    }
  });

  syncGoal();
  // After a refused submit, open the first step that holds an error.
  if (firstError) {
    const step = firstError.closest("fieldset[data-step]");
    show(step ? Number(step.dataset.step) : 1);
  } else if (form.querySelector('input[name="note_ids"]:checked')) {
    show(1);
  }
})();
