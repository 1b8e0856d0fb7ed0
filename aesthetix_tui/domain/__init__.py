"""The account-admin rules, in plain Python. No Textual import here."""
