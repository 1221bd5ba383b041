"""`make bench`: liandong's durable hop beside a minimal script doing the same durable work.

Not part of `make test`: figures, not assertions. See docs/performance.md.
"""
