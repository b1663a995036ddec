// File fields (input[type=file][data-max-bytes]): say at once when a chosen file is
// larger than the server accepts, instead of after sending it. The server checks
// again and refuses larger requests whatever this script does.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var limit = Number(input.dataset.maxBytes);
    var message = document.getElementById(input.getAttribute("aria-describedby"));
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      var tooLarge = Boolean(file && file.size > limit);
      input.setCustomValidity(tooLarge && message ? message.textContent : "");
      if (message) { message.hidden = !tooLarge; }
    });
  });
});
