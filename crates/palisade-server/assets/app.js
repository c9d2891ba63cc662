// Progressive enhancement only: every form works without this file.
// A form with data-confirm asks before it is sent (destructive actions).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
// A form disables its buttons once sent, so a double click does not post twice.
document.addEventListener("submit", function (event) {
  if (event.defaultPrevented) {
    return;
  }
  var buttons = event.target.querySelectorAll("button[type=submit]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].setAttribute("aria-disabled", "true");
    buttons[i].disabled = true;
  }
});
// Coming back to a page (the back button) makes its buttons usable again.
window.addEventListener("pageshow", function () {
  var buttons = document.querySelectorAll("button[aria-disabled=true]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].removeAttribute("aria-disabled");
    buttons[i].disabled = false;
  }
});
