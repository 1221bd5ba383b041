"""The sharing service."""
