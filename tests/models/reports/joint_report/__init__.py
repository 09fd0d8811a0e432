"""Tests of the PDF joint report (models/reports/joint_report/)."""
