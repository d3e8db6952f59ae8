"""Swapping the mentors of two proposed pairs in a run under review.

This is the admin's override of the optimiser: A–X and B–Y become A–Y and B–X. Each mentor keeps
the same number of mentees, so capacities still hold. The new pairs are scored with the run's
own criteria and weights, must pass its hard rules (and never re-create a pair that was ended,
dissolved or rejected before), and come out locked, so a re-run keeps them.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Min, Sum

from mentorship import audit
from programs.models import Program

from .. import engine
from ..models import Match, MatchRun, Suggestion
from .pool import engine_settings, person, question_names
from .runs import ensure_reviewable, explanations, previous_pairs


def _run_settings(run, keys):
    """The run's engine settings, limited to the criteria its pairs were scored on (``keys``),
    so the new scores are on the same scale as the run's other pairs."""

    class Snapshot:  # engine_settings reads attributes like a MatchingSettings
        questions = run.settings["questions"]
        weights = run.settings["weights"]
        hard_rules = run.settings["hard_rules"]

    settings = engine_settings(Snapshot)
    weights = {k: float(w) for k, w in run.settings["weights"].items() if k in keys}
    if not any(weights.values()):
        raise ValidationError("This run's pairs can't be scored again; start a new run.")
    return engine.Settings(weights=weights, hard_rules=settings.hard_rules)


def _refused_pairs(run, mentees, mentors):
    """{(mentee pk, mentor pk): why} for pairs a swap may not create: matches of the program
    that were ended or dissolved, and pairs rejected in the run this one carries reviews from."""
    closed = Match.objects.filter(
        program=run.program,
        status__in=[Match.Status.ENDED, Match.Status.DISSOLVED],
        mentee__in=mentees,
        mentor__in=mentors,
    ).values_list("mentee_id", "mentor_id")
    refused = dict.fromkeys(closed, "their earlier match in this program was ended")
    if run.based_on_id:
        for pair in Suggestion.objects.filter(
            run_id=run.based_on_id, rejected=True, mentee__in=mentees, mentor__in=mentors
        ).values_list("mentee_id", "mentor_id"):
            refused.setdefault(pair, f"the pair was rejected in run {run.based_on.number}")
    return refused


def score_pairs(run, pairs):
    """Score (mentee, mentor) enrolment pairs with the run's settings.

    Returns one dict per pair: score, breakdown, explanations, and ``broken``, the texts of the
    hard rules the pair breaks (empty when it may be made)."""
    first = Suggestion.objects.filter(run=run, assigned=True).only("breakdown").first()
    keys = list(first.breakdown) if first else []
    custom = [k[len(engine.CUSTOM_PREFIX) :] for k in keys if k.startswith(engine.CUSTOM_PREFIX)]
    mentees = list(dict.fromkeys(e for e, _ in pairs))
    mentors = list(dict.fromkeys(m for _, m in pairs))
    day = run.program.start_date  # as load_pool: None means today
    pool = engine.build_pool(
        [person(e, 1, day) for e in mentees],
        [person(m, 1, day) for m in mentors],
        previous_pairs=previous_pairs(run.program),
        questions=custom,
        question_names=question_names(run.program),
    )
    settings = _run_settings(run, keys)
    rows = [mentees.index(e) for e, _ in pairs]
    cols = [mentors.index(m) for _, m in pairs]
    bd = engine.breakdown(pool, settings, rows, cols)
    broken_rules = engine.broken_rules(pool, settings, rows, cols)
    refused = _refused_pairs(run, mentees, mentors)
    texts = explanations(pool, bd, rows, cols)
    out = []
    for n, (mentee, mentor) in enumerate(pairs):
        broken = [engine.RULE_TEXT[rule] for rule in broken_rules[n]]
        if (mentee.pk, mentor.pk) in refused:
            broken.append(refused[mentee.pk, mentor.pk])
        out.append(
            {
                "score": float(bd.totals[n]),
                "breakdown": dict(zip(bd.keys, bd.contributions[n].tolist(), strict=True)),
                "explanations": texts[n],
                "broken": broken,
            }
        )
    return out


def can_swap(run) -> bool:
    """For pages: whether ``swap_mentors`` accepts swaps in this run (its own checks)."""
    return (
        not run.program.is_closed
        and run.status == MatchRun.Status.DONE
        and run.program.matching_mode != Program.MatchingMode.MENTEE_CHOOSES
    )


@transaction.atomic
def swap_mentors(*, run, first, second, actor):
    """Give the mentees of two assigned pairs (suggestion ids ``first`` and ``second``) each
    other's mentor. Returns the two new pairs."""
    # The run row serialises swaps, reviews and publishing of this run.
    run = (
        MatchRun.objects.select_for_update(of=("self",))
        .select_related("program", "based_on")
        .get(pk=run.pk)
    )
    ensure_reviewable(run)
    if run.program.matching_mode == Program.MatchingMode.MENTEE_CHOOSES:
        raise ValidationError(
            "In this program mentees choose their mentor; there are no pairs to swap."
        )
    ids = [first, second]
    found = {
        s.pk: s
        for s in Suggestion.objects.select_for_update(of=("self",))
        .filter(run=run, assigned=True, pk__in=ids)
        .select_related("mentee__user", "mentee__profile", "mentor__user", "mentor__profile")
    }
    if first == second or len(found) != 2:
        raise ValidationError("Choose two different proposed pairs of this run.")
    a, b = found[first], found[second]
    if a.locked or b.locked:
        raise ValidationError("Unlock both pairs before swapping their mentors.")
    if a.mentor_id == b.mentor_id:
        raise ValidationError("Both pairs have the same mentor: swapping would change nothing.")
    new = [(a.mentee, b.mentor), (b.mentee, a.mentor)]
    scored = score_pairs(run, new)
    for (mentee, mentor), result in zip(new, scored, strict=True):
        if result["broken"]:
            raise ValidationError(
                f"{mentee.display_name} and {mentor.display_name} can't be paired: "
                f"{'; '.join(result['broken'])}."
            )
    Suggestion.objects.filter(pk__in=ids).update(assigned=False, locked=False, rejected=False)
    made = []
    for (mentee, mentor), result in zip(new, scored, strict=True):
        fields = {
            "score": result["score"],
            "breakdown": result["breakdown"],
            "explanations": result["explanations"],
            "assigned": True,
            "locked": True,
            "rejected": False,
        }
        # The pair may exist already, unassigned (e.g. swapped away earlier).
        suggestion, _ = Suggestion.objects.update_or_create(
            run=run,
            mentee=mentee,
            mentor=mentor,
            defaults=fields,
            create_defaults={**fields, "organization_id": run.organization_id},
        )
        made.append(suggestion)
    _refresh_scores(run)
    audit.record(
        organization=run.organization,
        actor=actor,
        action="match_run.swapped",
        target=run,
        data={
            "before": [[a.mentee.email, a.mentor.email], [b.mentee.email, b.mentor.email]],
            "after": [[m.mentee.email, m.mentor.email] for m in made],
            "score_change": round(sum(s.score for s in made) - a.score - b.score, 4),
        },
    )
    return made


def _refresh_scores(run):
    """The run's score statistics after a swap (who is matched doesn't change)."""
    totals = Suggestion.objects.filter(run=run, assigned=True).aggregate(
        mean=Avg("score"), low=Min("score"), total=Sum("score")
    )
    certificate = run.stats.get("certificate")
    run.stats = {
        **run.stats,
        "mean_score": totals["mean"] or 0.0,
        "min_score": totals["low"] or 0.0,
        "total_score": totals["total"] or 0.0,
        # The proof was of the pairs as proposed, not of a hand-made change.
        **({"certificate": {**certificate, "changed_by_hand": True}} if certificate else {}),
    }
    run.save(update_fields=["stats"])
