// Forms on a shared (cached) article page carry an empty CSRF field: the page's bytes are the
// same for every reader, so no reader's token may be in them. The first time a reader touches
// such a form, this asks /forms/token/ (never cached) for their own token and fills it in;
// a submit that comes first waits for it. Without scripts, the page links to a form drawn
// for the reader (see README, "Caching the article page").
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-token-form]");
  if (!forms.length || !window.fetch) {
    return;
  }
  var pending = null;
  function token() {
    if (!pending) {
      pending = fetch("/forms/token/", {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("token " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          forms.forEach(function (form) {
            form.querySelector("input[name=csrfmiddlewaretoken]").value = data.token;
          });
          return data.token;
        })
        .catch(function (error) {
          pending = null;
          throw error;
        });
    }
    return pending;
  }
  forms.forEach(function (form) {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    form.addEventListener("focusin", function () { token().catch(function () {}); });
    form.addEventListener("pointerdown", function () { token().catch(function () {}); });
    form.addEventListener("submit", function (event) {
      if (field.value || form.dataset.tokenAsked) {
        return;
      }
      form.dataset.tokenAsked = "1";
      event.preventDefault();
      var submitter = event.submitter;
      token()
        .catch(function () {})
        .then(function () {
          // Sent either way: without a token the server refuses it with a clear page.
          if (submitter && form.requestSubmit) {
            form.requestSubmit(submitter);
          } else {
            form.submit();
          }
        });
    });
  });
})();
