"""The assistance service."""
