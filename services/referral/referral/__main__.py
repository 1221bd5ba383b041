"""`python -m referral`: serve the referral API (and its consumers) with uvicorn."""

from liandong_runtime.serve import serve
from referral.bootstrap import ReferralSettings, build_app

if __name__ == "__main__":
    serve(build_app, ReferralSettings())
