"""The criteria page's preview: what the settings being edited would do to the current pool.

Nothing is saved: the pool is scored and assigned with the unsaved settings, and the page shows
the mean score and how many mentees would stay unmatched."""

from .. import engine
from .pool import engine_settings, load_pool


def preview(program, settings) -> dict | None:
    """``settings``: a MatchingSettings, saved or not. None when there is nobody to match."""
    from .runs import previous_pairs

    program_pool = load_pool(program, previous_pairs=previous_pairs(program))
    pool = program_pool.pool
    if not program_pool.mentees or not program_pool.mentors:
        return None
    es = engine_settings(settings)
    answered = {engine.custom_key(q) for q in pool.questions}
    weights = {
        k: w
        for k, w in es.weights.items()
        if not k.startswith(engine.CUSTOM_PREFIX) or k in answered
    }
    try:
        result = engine.match(
            pool,
            engine.Settings(weights=weights, hard_rules=es.hard_rules),
            objective=settings.objective,
            min_score=settings.min_score,
        )
    except ValueError:  # e.g. every weight at 0
        return {"error": "Give at least one criterion a weight above 0 % to see the effect."}
    stats = result.stats
    return {
        "mentees": stats.mentees,
        "mentors": stats.mentors,
        "seats": stats.seats,
        "matched": stats.matched,
        "unmatched": stats.unmatched,
        "coverage": stats.coverage,
        "mean_score": stats.mean_score,
        "min_score": stats.min_score,
        "reasons": [u.message for u in result.unmatched[:5]],
    }
