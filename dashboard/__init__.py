"""The web app: pages/ (one module per address), components/ (shared pieces), server/ (plumbing), and
`_data` (the pages' only way to the data) with `_query` (addresses and controls parsed)."""
