// Site-wide behaviour. No inline scripts anywhere (Content-Security-Policy forbids them).
document.addEventListener("htmx:configRequest", function (event) {
  const token = document.cookie.split("; ").find(function (c) { return c.startsWith("csrftoken="); });
  if (token) { event.detail.headers["X-CSRFToken"] = token.split("=")[1]; }
});
