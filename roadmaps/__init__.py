"""Roadmap templates, per-match roadmaps, milestones and their evidence (layer 3: builds on
matching)."""
