"""`python -m escalation`: serve the district government's desk and the deadline engine."""

from liandong_runtime.serve import serve

from escalation.bootstrap import EscalationSettings, build_app

if __name__ == "__main__":
    serve(build_app, EscalationSettings())
