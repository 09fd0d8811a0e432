// Tells the person when the server answers a page request with 503 (its database unreachable,
// read-only or full): the Dash renderer keeps what it shows and only logs a failed callback, so
// without this nothing on screen would say why a control did nothing. The message comes from the
// server (dashboard/_errors.py); the alert goes away at the next answer that is not a 503.
(function () {
    "use strict";
    var FALLBACK = "VID Monitor cannot reach its database just now. Try again shortly.";
    var ALERT_ID = "service-unavailable-alert";

    function show(message) {
        var alert = document.getElementById(ALERT_ID);
        if (!alert) {
            alert = document.createElement("div");
            alert.id = ALERT_ID;
            alert.className = "alert alert-warning shadow position-fixed bottom-0 start-50 translate-middle-x mb-3";
            alert.setAttribute("role", "alert");
            alert.style.zIndex = "2000";
            document.body.appendChild(alert);
        }
        alert.textContent = message || FALLBACK;
    }

    function hide() {
        var alert = document.getElementById(ALERT_ID);
        if (alert) {
            alert.remove();
        }
    }

    var originalFetch = window.fetch;
    window.fetch = function (resource, init) {
        var url = typeof resource === "string" ? resource : (resource && resource.url) || "";
        return originalFetch.apply(this, arguments).then(function (response) {
            if (url.indexOf("_dash-") !== -1) {
                if (response.status === 503) {
                    response.clone().json().then(function (body) { show(body && body.message); }, function () { show(); });
                } else if (response.ok) {
                    hide();
                }
            }
            return response;
        });
    };
})();
