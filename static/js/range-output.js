// Show a range slider's value next to it: <input type="range" data-output="ID"> updates the
// <output id="ID">. No inline handlers (strict CSP).
(() => {
  const update = (input) => {
    const output = document.getElementById(input.dataset.output);
    if (output) output.value = `${input.value} %`;
  };
  document.addEventListener("input", (event) => {
    if (event.target.matches && event.target.matches("input[type=range][data-output]")) {
      update(event.target);
    }
  });
  document.querySelectorAll("input[type=range][data-output]").forEach(update);
})();
