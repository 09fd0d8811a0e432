"""The HTML frame of every page (Dash's index string): its language, and plotly.js asked for from the head."""

from __future__ import annotations

# plotly.js (4.6 MB) is what a page's first chart waits for longest, and dcc.Graph asks for it only
# once the page's content has arrived and a graph is on the page. Asked for here, at the top of the
# head, it is fetched and compiled while Dash's bundles run and the layout and the callbacks are on
# their way. dcc.Graph takes `window.Plotly` when it is set: a promise here until the file has run
# (plotly.js then sets `window.Plotly` itself), so the file is fetched and run once.
_PLOTLY_EARLY = """<script>
window.Plotly = window.Plotly || new Promise(function (resolve, reject) {
    var script = document.createElement("script");
    script.src = "{plotly_url}";
    script.async = true;
    script.onload = function () { resolve(window.Plotly); };
    script.onerror = reject;
    document.head.appendChild(script);
});
if (window.location.pathname.indexOf("{map_path}") === 0) {
    var geometry = document.createElement("link");
    geometry.rel = "preload";
    geometry.as = "fetch";
    geometry.crossOrigin = "anonymous";
    geometry.href = "{geometry_url}";
    document.head.appendChild(geometry);
}
</script>"""
PLOTLY_PATH = "_dash-component-suites/plotly/package_data/plotly.min.js"  # where Dash serves it locally
# The map page's geometry, which plotly.js fetches only when it starts drawing the map: on /map it is
# fetched from the head too, beside plotly.js (the same address, so plotly.js finds it fetched).
MAP_GEOMETRY_PATH = "assets/topojson/world_50m.json"

INDEX_STRING = """<!DOCTYPE html>
<html lang="en" dir="ltr">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%plotly%}
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""


def index_string(prefix: str) -> str:
    """The page's HTML frame for an app served under `prefix` (Dash's requests_pathname_prefix)."""
    early = _PLOTLY_EARLY.replace("{plotly_url}", prefix + PLOTLY_PATH)
    early = early.replace("{map_path}", prefix + "map").replace("{geometry_url}", prefix + MAP_GEOMETRY_PATH)
    return INDEX_STRING.replace("{%plotly%}", early)
