"""Limits the domain checks and the database holds too (db/guards.py): one home for both."""

INTEGRATION_MAX_DAYS = 366  # an integration's token expires at the latest this many days from today
SUPPORT_MAX_DAYS = 30  # an account's Support Access cap (support_max_days) is 1 to this many days
