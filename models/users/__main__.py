"""Entry point of `python -m models.users` (add, list, deactivate, reactivate, end-sessions, set-password,
token create|list|revoke)."""

import sys

from models.accounts.users import main

if __name__ == "__main__":
    sys.exit(main())
