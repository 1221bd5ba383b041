"""Wire contracts of liandong: every event, its envelope, its subject."""
