// Reloads the page when `variorum serve` has published a new build (server-sent events).
(function () {
  var since = new URL(document.currentScript.src).searchParams.get("since") || "0";
  var events = new EventSource("/_variorum/events?since=" + since);
  events.onmessage = function () {
    events.close();
    location.reload();
  };
})();
