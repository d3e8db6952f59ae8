// Review table: the swap button works on exactly two ticked pairs (the server checks again).
(() => {
  const button = document.getElementById("swap-button");
  const hint = document.getElementById("swap-hint");
  if (!button) return;
  const update = () => {
    const ticked = document.querySelectorAll("input.swap-pick:checked").length;
    button.disabled = ticked !== 2;
    hint.textContent = ticked === 2
      ? "Swap the mentors of the two ticked pairs."
      : `Tick two pairs to give their mentees each other's mentor (${ticked} ticked).`;
  };
  document.addEventListener("change", (event) => {
    if (event.target.matches("input.swap-pick")) update();
  });
  document.addEventListener("htmx:afterSwap", update);
  update();
})();
