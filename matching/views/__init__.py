"""Matching's pages, one module per noun (criteria, profiles, pool, runs, matches, choice)."""
