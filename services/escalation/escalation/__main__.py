"""`python -m escalation`: serve the district government's desk and the deadline engine."""

from escalation.bootstrap import EscalationSettings, build_app
from liandong_runtime.serve import serve

if __name__ == "__main__":
    serve(build_app, EscalationSettings())
