"""Pieces every page shares: the site layout and controls, figure builders (no database), grids."""
