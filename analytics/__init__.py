"""Surveys and responses, the KPI catalog and its computation, dashboards and exports (layer 6:
the top; reads every app below)."""
