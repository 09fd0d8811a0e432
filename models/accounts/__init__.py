"""Accounts and the audit trail: who may act on whom, sign-in sessions and limits, and every event logged."""
