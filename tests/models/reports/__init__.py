"""Tests of models/reports/."""
