"""The page modules, one per address (Dash pages); modules starting with "_" are a page's private parts."""
