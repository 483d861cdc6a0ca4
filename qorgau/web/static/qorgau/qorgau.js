// Starts GOV.UK Frontend's components on the page, and after each htmx swap only inside the
// swapped element: a component refuses a second initialisation, and a re-rendered form's error
// summary must take focus again. Loaded with type="module" at the end of <body>.
//
// The vendored module's URL comes from this script's data-govuk-frontend attribute, which the
// template fills with {% static %}, so hashed file names work; a relative URL is the fallback.
const script = document.querySelector("script[data-govuk-frontend]");
const src = script?.dataset.govukFrontend ||
  new URL("../vendor/govuk-frontend-6.6.0/govuk-frontend.min.js", import.meta.url).href;

const frontend = import(src).then((GOVUKFrontend) => {
  if (!GOVUKFrontend.isSupported()) {
    return null;
  }
  GOVUKFrontend.initAll();
  return GOVUKFrontend;
});

// initAll({ scope }) finds components *inside* the scope; a swapped element that is itself a
// component (an outerHTML swap of an error summary, say) is started here.
function initElement(GOVUKFrontend, element) {
  const moduleName = element.getAttribute("data-module");
  if (!moduleName || element.hasAttribute(`data-${moduleName}-init`)) {
    return;
  }
  const Component = Object.values(GOVUKFrontend).find(
    (value) => typeof value === "function" && value.moduleName === moduleName,
  );
  if (Component) {
    try {
      new Component(element);
    } catch (error) {
      console.log(error);
    }
  }
}

document.addEventListener("htmx:afterSettle", (event) => {
  const scope = event.target;
  if (!(scope instanceof Element)) {
    return;
  }
  frontend.then((GOVUKFrontend) => {
    if (GOVUKFrontend && scope.isConnected) {
      initElement(GOVUKFrontend, scope);
      GOVUKFrontend.initAll({ scope });
    }
  });
});
