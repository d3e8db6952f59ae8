// htmx leaves 4xx answers unswapped. Inside an element marked data-htmx-swap-400, a 400 carries
// the form again with its error shown, so swap it like a success. (A static file: the CSP
// allows no inline script.)
const swaps400 = (event) =>
  event.detail.xhr.status === 400 &&
  event.target instanceof Element &&
  event.target.closest("[data-htmx-swap-400]") !== null;

// In DEBUG, django-htmx's script replaces the whole page with any 400 answer (to show Django's
// error page); ours are expected, so keep them from reaching it.
window.addEventListener(
  "htmx:beforeOnLoad",
  (event) => {
    if (swaps400(event)) event.stopImmediatePropagation();
  },
  true,
);

document.addEventListener("htmx:beforeSwap", (event) => {
  if (swaps400(event)) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
