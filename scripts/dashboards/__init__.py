"""liandong's Grafana dashboards as code (grafana-foundation-sdk); scripts/build_dashboards.py
writes them to deploy/grafana/dashboards/."""
