"""Matching's writes, one module per noun: criteria (settings and custom questions), profiles,
runs (start, execute, review, publish), swap, choice (mentees choose their mentor), matches
(pause, resume, end, dissolve); pool and preview read what the engine needs."""
