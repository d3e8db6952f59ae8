// Phone layout for wide tables: on a narrow screen, a <table class="table-stack"> shows each row
// as a small card (app.css), each cell under its column's name. This copies the header's text to
// every cell's data-label, also for rows htmx swaps in later. Cells that set their own keep it.
(() => {
  const label = (root) => {
    const scope = root.closest ? root.closest("table.table-stack") : null;
    const tables = scope ? [scope] : root.querySelectorAll("table.table-stack");
    tables.forEach((table) => {
      const names = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
      table.querySelectorAll("tbody tr").forEach((row) => {
        [...row.children].forEach((cell, i) => {
          if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", names[i] || "");
        });
      });
    });
  };
  label(document);
  document.addEventListener("htmx:load", (event) => label(event.target));
})();
