"""Plain-word summaries and labels, generated from the same frames the charts plot."""
