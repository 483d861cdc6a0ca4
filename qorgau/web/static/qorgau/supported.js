// Placed first in <body> as an external file, so a strict CSP needs no inline script. GOV.UK
// Frontend's styles and scripts only switch on once the body carries this class; adding it on
// DOMContentLoaded would be too late (initialisation stops with a SupportError).
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
