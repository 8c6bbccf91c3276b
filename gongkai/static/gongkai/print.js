/* A print button for pages meant to be printed: <button data-print hidden>. The button stays
   hidden without JavaScript, where the page says to use the browser's own print command. */
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
document.querySelectorAll("[data-print-hint]").forEach(function (hint) { hint.hidden = true; });
