"""Relationship reviews and check-in cadences, their reminder and escalation sweeps, at-risk
scores (layer 5: builds on rooms)."""
