"""The web app: pages/ (one module per address), components/ (shared pieces), server/ (plumbing), and
`_data` (the pages' only way to the data: each page's view of its typed query, models/views)."""
