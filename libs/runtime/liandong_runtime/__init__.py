"""Shared runtime of liandong services: settings, storage, messaging, calendar, metrics."""
