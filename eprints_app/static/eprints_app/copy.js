// "Copy" buttons of the "Cite as" section (templates/eprints_app/cite_as.html).
// The buttons are hidden in the HTML and shown only where the clipboard can be written,
// so without JavaScript (or over plain HTTP) the page shows the text to select by hand.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  var status = document.querySelector(".cite-as .copy-status");

  function tell(message) {
    if (status) {
      status.textContent = message;
    }
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copy).then(
        function () { tell("Copied to the clipboard."); },
        function () { tell("Could not copy: select the text and copy it instead."); }
      );
    });
  });
})();
