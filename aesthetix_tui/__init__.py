"""Aesthetix TUI: terminal admin for Aesthetix CRM accounts."""

__version__ = "0.1.0"
