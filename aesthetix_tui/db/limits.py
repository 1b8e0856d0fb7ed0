"""Limits the domain checks and the database holds too (db/guards.py): one home for both."""

INTEGRATION_MAX_DAYS = 366  # an integration's token expires at the latest this many days from today
