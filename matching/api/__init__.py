"""Matching's API, one module per noun (criteria, profiles, pool, runs, matches, choice);
routes in ``urls.py``."""
