// Print buttons (data-print): shown and wired only when JavaScript runs, since
// the Content-Security-Policy forbids onclick= attributes. Without JavaScript
// the browser's own Print command does the same.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});
