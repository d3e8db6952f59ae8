// Skill rows on the profile page: "+ Add a skill" appends a row from <template
// id="skill-row-template">, "✕" removes one. Without JS the page still has blank rows to fill.
(() => {
  const rows = document.getElementById("skill-rows");
  const template = document.getElementById("skill-row-template");
  const add = document.getElementById("skill-add");
  if (!rows || !template || !add) return;
  let counter = rows.children.length;
  add.addEventListener("click", () => {
    const row = template.content.firstElementChild.cloneNode(true);
    counter += 1;
    row.querySelectorAll("input, select").forEach((field) => {
      const id = `skill-${field.name === "skill_name" ? "name" : "level"}-new-${counter}`;
      field.id = id;
      field.previousElementSibling.htmlFor = id;
    });
    rows.appendChild(row);
    row.querySelector("input").focus();
  });
  rows.addEventListener("click", (event) => {
    const button = event.target.closest(".skill-remove");
    if (button) button.closest(".skill-row").remove();
  });
})();
