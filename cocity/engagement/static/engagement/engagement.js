// Consultations: the report's print button (the page prints without it too, from the browser).
// Focus after a vote is handled by htmx itself: the next statement carries autofocus.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".print-button");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    }
  });
})();
