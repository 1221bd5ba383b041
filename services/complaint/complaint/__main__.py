"""`python -m complaint`: serve the complaint API (and its consumers) with uvicorn."""

from complaint.bootstrap import ComplaintSettings, build_app
from liandong_runtime.serve import serve

if __name__ == "__main__":
    serve(build_app, ComplaintSettings())
