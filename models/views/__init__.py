"""One view function per page: a typed query in, everything the page shows out (frames, texts, downloads).

No Dash here: `dashboard/_data.py` calls these with the served data, the pages turn the view objects
into components and figures, and every download is one of the view's `exports`, so a file can never
differ from what the screen shows.
"""
