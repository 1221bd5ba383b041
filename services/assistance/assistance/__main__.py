"""`python -m assistance`: serve the assistance API with uvicorn."""

from assistance.bootstrap import AssistanceSettings, build_app
from liandong_runtime.serve import serve

if __name__ == "__main__":
    serve(build_app, AssistanceSettings())
