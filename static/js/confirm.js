// Ask before submitting forms marked data-confirm (no inline handlers: strict CSP).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
