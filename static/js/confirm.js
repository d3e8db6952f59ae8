// Ask before submitting forms marked data-confirm (no inline handlers: strict CSP).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// htmx requests from a form holding a field marked data-confirm-value ask first when the field
// has that value (e.g. making someone an admin); cancelling puts the previous value back.
document.addEventListener("htmx:confirm", (event) => {
  const form = event.detail.elt.closest && event.detail.elt.closest("form");
  const field = form && form.querySelector("[data-confirm-value]");
  if (!field || field.value !== field.dataset.confirmValue) return;
  event.preventDefault();
  if (window.confirm(field.dataset.confirm)) {
    event.detail.issueRequest(true);
  } else {
    field.value = field.dataset.current;
  }
});
