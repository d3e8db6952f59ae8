"""Every write of roadmaps, by noun: templates, roadmaps (made when matches start), milestones,
evidence, goals, and events (what the platform records)."""
