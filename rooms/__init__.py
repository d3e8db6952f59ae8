"""A pair's private room: signed agreements, meetings, stage prompts, notes, action items,
messages, progress updates, post-meeting feedback and calendars (layer 4: builds on roadmaps)."""
