// YASGUI on the endpoint and with the token the address gives; nothing kept
// between visits, so each test starts from the same editor.
const params = new URLSearchParams(location.search);
const token = params.get("token");
window.yasgui = new Yasgui(document.getElementById("yasgui"), {
  requestConfig: {
    endpoint: params.get("endpoint"),
    method: "POST",
    headers: token ? { Authorization: "Bearer " + token } : {},
  },
  persistenceId: null,
  copyEndpointOnNewTab: false,
});
