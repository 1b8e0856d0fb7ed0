"""The CLI's subcommands. Each calls the same domain functions as the TUI."""
