"""`python -m sharing`: serve the sharing API (and its consumers) with uvicorn."""

from liandong_runtime.serve import serve
from sharing.bootstrap import SharingSettings, build_app

if __name__ == "__main__":
    serve(build_app, SharingSettings())
