// The gpkg query UI: YASGUI with the endpoint preset and the saved competency questions as example tabs.
(function () {
  "use strict";
  var script = document.currentScript;
  var endpoint = script.getAttribute("data-endpoint");
  var examples = JSON.parse(document.getElementById("gpkg-examples").textContent);
  // no class/property autocompletion: it would call an external service while the user types
  Yasgui.Yasqe.defaults.autocompleters = Yasgui.Yasqe.defaults.autocompleters.filter(function (name) {
    return name !== "class" && name !== "property";
  });
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    autoAddOnInit: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } }
  });
  examples.forEach(function (example, index) {
    yasgui.addTab(index === 0, { id: "example-" + index, name: example.name, yasqe: { value: example.query } });
  });
  var initial = script.getAttribute("data-query");
  if (initial) {
    yasgui.addTab(true, { id: "from-link", name: "Query", yasqe: { value: initial } });
  } else if (examples.length === 0) {
    yasgui.addTab(true, { name: "Query", yasqe: { value: "SELECT * WHERE { ?s ?p ?o } LIMIT 10" } });
  }
  window.gpkgYasgui = yasgui;
})();
