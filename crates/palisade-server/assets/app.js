// Progressive enhancement only: every form works without this file.
// A form with data-confirm asks before it is sent (destructive actions).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
// A form is sent once: a second submit (a double click) is ignored. Buttons are not disabled,
// because a disabled submit button's name and value (Save or Send) would not be sent.
document.addEventListener("submit", function (event) {
  var form = event.target;
  // A download does not leave the page: such a form may be sent again (another person's data).
  if (event.defaultPrevented || form.hasAttribute("data-download")) {
    return;
  }
  if (form.getAttribute("data-sent") === "true") {
    event.preventDefault();
    return;
  }
  form.setAttribute("data-sent", "true");
});
// Coming back to a page (the back button) makes its forms usable again.
window.addEventListener("pageshow", function () {
  var forms = document.querySelectorAll("form[data-sent]");
  for (var i = 0; i < forms.length; i++) {
    forms[i].removeAttribute("data-sent");
  }
});
