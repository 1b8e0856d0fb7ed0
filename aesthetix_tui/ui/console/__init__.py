"""The support console: a separate app for support agents (`aesthetix-tui support console`)."""
