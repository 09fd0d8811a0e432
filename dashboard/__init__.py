"""Dash pages of VID Monitor; modules starting with "_" are shared pieces, not pages."""
