"""The accounts command line, `python -m models.users`; its rules live in `models.accounts.users`."""
