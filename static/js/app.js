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

// The bind wizard lives in static/js/bind_wizard.js (loaded by its page).

// Selects that submit their form when changed (the language switch): <select data-autosubmit>.
document.addEventListener("change", (event) => {
  if (event.target instanceof HTMLSelectElement && event.target.hasAttribute("data-autosubmit")) {
    event.target.form.submit();
  }
});
