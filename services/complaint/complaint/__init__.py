"""The complaint service."""
