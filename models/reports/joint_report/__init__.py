"""The joint report of a reporting cycle as a PDF: `data.joint_report()` reads, `document.write_pdf()` draws.

Modules: `view` (the frozen `JointReport` view object), `data` (builds it from a session and a
cycle name), `strings` (every word the report shows, and how numbers and dates are written), `pdf`
(the page engine on fpdf2: shipped fonts, shaped text, page furniture, contents), `document` (the
report's sections in order), its sections `overview`, `participants` and `annexes`, and `layout`
(what they share), `charts` (trend, map, legend, sparkline), `topo` (world map geometry),
`workbook` (the same report as an XLSX), `command` (`render_report`, behind `python -m models
report` and the /reporting page's buttons). Nothing here imports Dash or needs a browser or a
system font. This file imports nothing, so that `python -m models` does not load fpdf for its
other commands.
"""
