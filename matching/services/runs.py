"""Match runs: score and assign a program's pool in the background, review, publish.

A run snapshots the settings it used and a fingerprint of the pool it read. Publishing a run
whose pool has changed since (someone enrolled, withdrew or edited a profile) is refused: the
admin re-runs instead of publishing pairs computed from stale data.
"""

import hashlib

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from mentorship import audit
from programs.models import Enrollment, Program
from programs.services import ensure_editable

from .. import engine, hooks, notifications
from ..constants import ALTERNATIVES
from ..models import Match, MatchRun, Suggestion
from .criteria import ensure_settings
from .pool import engine_settings, load_pool


def pool_fingerprint(program) -> str:
    """Changes whenever an active enrolment, its capacity or its profile changes."""
    rows = (
        Enrollment.objects.filter(program=program, status=Enrollment.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", "role", "capacity", "updated_at", "profile__updated_at")
    )
    digest = hashlib.sha256()
    for row in rows:
        digest.update(repr(row).encode())
    return digest.hexdigest()


def _settings_snapshot(settings):
    return {
        "questions": list(settings.questions),
        "weights": dict(settings.weights),
        "hard_rules": dict(settings.hard_rules or {}),
        "objective": settings.objective,
        "min_score": settings.min_score,
    }


def previous_pairs(program):
    """(mentee email, mentor email) of every pair ever matched in the program's organization."""
    return list(
        Match.objects.filter(organization=program.organization).values_list(
            "mentee__email", "mentor__email"
        )
    )


@transaction.atomic
def start_run(*, program, actor, based_on=None):
    """Queue a run. ``based_on``: a reviewed run whose locks and rejections carry over."""
    from ..tasks import execute_match_run

    ensure_editable(program)
    # One run at a time per program: the program row is the lock two clicks queue on.
    program = Program.objects.select_for_update().get(pk=program.pk)
    if MatchRun.objects.filter(
        program=program, status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING]
    ).exists():
        raise ValidationError("A run is already in progress for this program.")
    settings = ensure_settings(program)
    number = (MatchRun.objects.filter(program=program).aggregate(n=Max("number"))["n"] or 0) + 1
    run = MatchRun.objects.create(
        organization=program.organization,
        program=program,
        number=number,
        settings=_settings_snapshot(settings),
        based_on=based_on,
        created_by=actor,
    )
    audit.record(
        organization=program.organization, actor=actor, action="match_run.started", target=run
    )
    transaction.on_commit(lambda: execute_match_run.delay(run.organization_id, run.pk))
    return run


def _set_progress(run, progress, stage):
    """Progress is written in its own short transaction so the page sees it while we work."""
    MatchRun.objects.filter(pk=run.pk).update(progress=progress, stage=stage)


def execute_run(run):
    """Do the work of a queued run (called by the Celery task). Idempotent: a run that is
    already done is left alone."""
    # Claim the run: only one worker moves it from queued to running; a task delivered twice
    # finds it claimed and leaves it alone.
    claimed = MatchRun.objects.filter(pk=run.pk, status=MatchRun.Status.QUEUED).update(
        status=MatchRun.Status.RUNNING, started_at=timezone.now(), progress=5, stage="Reading"
    )
    if not claimed:
        run.refresh_from_db()
        return run
    program = run.program
    try:
        fingerprint = pool_fingerprint(program)
        program_pool = load_pool(program, previous_pairs=previous_pairs(program))
        _set_progress(run, 25, "Scoring and assigning")
        settings = _engine_settings(run, program_pool.pool)
        locked, excluded = _carried_over(run, program_pool)
        excluded += closed_pairs(program_pool)
        result = engine.match(
            program_pool.pool,
            settings,
            locked=locked,
            excluded=excluded,
            # Runs before these settings existed optimised quality without a minimum.
            objective=run.settings.get("objective", engine.QUALITY),
            min_score=run.settings.get("min_score", 0.0),
            seed=run.number,  # ties fall differently from one run to the next, never by order
        )
        _set_progress(run, 70, "Writing suggestions")
        with transaction.atomic():
            _write_suggestions(run, program_pool, settings, result, locked, excluded)
            run.status = MatchRun.Status.DONE
            run.progress, run.stage = 100, "Done"
            run.pool_fingerprint = fingerprint
            run.stats = _stats(result)
            run.unmatched = [
                _unmatched_entry(program_pool.mentees[u.mentee], u) for u in result.unmatched
            ]
            run.finished_at = timezone.now()
            run.save()
    except Exception as exc:
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.FAILED,
            stage="Failed",
            error=str(exc)[:1000],
            finished_at=timezone.now(),
        )
        raise
    if program.matching_mode == Program.MatchingMode.AUTOMATIC:
        return publish_automatically(run)
    return run


def _engine_settings(run, pool):
    class Snapshot:  # engine_settings reads attributes like a MatchingSettings
        questions = run.settings["questions"]
        weights = run.settings["weights"]
        hard_rules = run.settings["hard_rules"]

    settings = engine_settings(Snapshot)
    answered = {engine.custom_key(q) for q in pool.questions}
    weights = {
        k: w
        for k, w in settings.weights.items()
        if not k.startswith(engine.CUSTOM_PREFIX) or k in answered
    }
    return engine.Settings(weights=weights, hard_rules=settings.hard_rules)


def _carried_over(run, program_pool):
    """Locked and rejected pairs of the run this one is based on, as pool indices."""
    if run.based_on_id is None:
        return [], []
    mentee_index = {e.pk: i for i, e in enumerate(program_pool.mentees)}
    mentor_index = {e.pk: j for j, e in enumerate(program_pool.mentors)}
    locked, excluded = [], []
    carried = Suggestion.objects.filter(run_id=run.based_on_id).filter(
        Q(locked=True) | Q(rejected=True)
    )
    for s in carried:
        pair = (mentee_index.get(s.mentee_id), mentor_index.get(s.mentor_id))
        if None in pair:
            continue  # that person left the pool
        (locked if s.locked else excluded).append(pair)
    return locked, excluded


def closed_pairs(program_pool):
    """Pairs whose match in this program was ended or dissolved, as pool indices: a rematch
    never proposes the previous mentor, whether or not the no-repair rule is on."""
    if not program_pool.mentees or not program_pool.mentors:
        return []
    mentee_index = {e.pk: i for i, e in enumerate(program_pool.mentees)}
    mentor_index = {e.pk: j for j, e in enumerate(program_pool.mentors)}
    closed = Match.objects.filter(
        program_id=program_pool.mentees[0].program_id,
        status__in=[Match.Status.ENDED, Match.Status.DISSOLVED],
    ).values_list("mentee_id", "mentor_id")
    return sorted(
        {
            (mentee_index[mentee], mentor_index[mentor])
            for mentee, mentor in closed
            if mentee in mentee_index and mentor in mentor_index
        }
    )


def _write_suggestions(run, program_pool, settings, result, locked, excluded=()):
    pool = program_pool.pool
    assigned = {(i, j) for i, j, _score in result.pairs()}
    pairs = set(assigned)
    if run.program.matching_mode == Program.MatchingMode.MENTEE_CHOOSES:
        # Mentees choose among their best mentors: keep each one's top few as well.
        k = min(ALTERNATIVES, len(program_pool.mentors))
        forbidden = list(excluded) or None
        top_idx, _ = engine.Scorer(pool, settings, forbidden=forbidden).top_mentors(k=k)
        rows, cols = np.nonzero(top_idx >= 0)
        pairs.update(zip(rows.tolist(), top_idx[rows, cols].tolist(), strict=True))
    pairs = sorted(pairs)
    if not pairs:
        return
    mentee_rows = [i for i, _ in pairs]
    mentor_cols = [j for _, j in pairs]
    bd = engine.breakdown(pool, settings, mentee_rows, mentor_cols)
    contributions, totals = bd.contributions, bd.totals
    locked_set = set(locked)
    mentee_ids = [e.pk for e in program_pool.mentees]
    mentor_ids = [e.pk for e in program_pool.mentors]
    keys = list(bd.keys)
    shares = contributions.tolist()
    scores = totals.tolist()
    # Plain words for every pair: mentees read them when they choose, admins when they review.
    texts = explanations(pool, bd, mentee_rows, mentor_cols)
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                organization_id=run.organization_id,
                run_id=run.pk,
                mentee_id=mentee_ids[i],
                mentor_id=mentor_ids[j],
                score=scores[n],
                # criterion → its share of the score; the shares add up to the score
                breakdown=dict(zip(keys, shares[n], strict=True)),
                explanations=texts[n],
                assigned=(i, j) in assigned,
                locked=(i, j) in locked_set,
            )
            for n, (i, j) in enumerate(pairs)
        ],
        batch_size=5000,
    )


NO_PROFILE = "no_profile"


def _unmatched_entry(enrollment, unmatched):
    """Why a mentee has no mentor, true for the reader: without a profile nothing can match
    (the engine would blame the first rule an empty profile fails, e.g. no shared language)."""
    reason, message = unmatched.reason, unmatched.message
    if not hasattr(enrollment, "profile"):
        reason, message = NO_PROFILE, "No profile yet: they haven't filled in their profile"
    return {
        "enrollment": enrollment.pk,
        "name": enrollment.display_name,
        "reason": reason,
        "message": message,
    }


def explanations(pool, bd, mentee_rows, mentor_cols):
    """Per pair: [{key, label, contribution, text, facts}], biggest contribution first (what
    ``engine.explain`` says, for many pairs at once). ``text`` names both people (for admins);
    ``facts`` let ``worded`` say it to one of them instead."""
    out = []
    shares = bd.contributions.tolist()
    # Plain lists index much faster than numpy arrays, one element at a time (2-D details,
    # e.g. the style axes, stay arrays: their texts take rows).
    details = {
        key: tuple(a.tolist() if getattr(a, "ndim", 0) == 1 else a for a in value)
        for key, value in bd.details.items()
    }
    for n, (i, j) in enumerate(zip(mentee_rows, mentor_cols, strict=True)):
        e_name = pool.mentees.name(i, "the mentee")
        m_name = pool.mentors.name(j, "the mentor")
        items = []
        for c, key in enumerate(bd.keys):
            facts = engine.criterion_facts(key, n, details)
            items.append(
                {
                    "key": key,
                    "label": bd.labels[c],
                    "contribution": shares[n][c],
                    "text": engine.explanation_text(key, facts, e_name, m_name),
                    "facts": facts,
                }
            )
        out.append(sorted(items, key=lambda item: -item["contribution"]))
    return out


def worded(items, *, mentee, mentor, reader):
    """A pair's stored explanations, said to one of the two (``reader``: "mentee" or
    "mentor"): "Olga can teach 2 of the 3 skills you want to learn". Items stored without
    facts (older runs) keep their text."""
    return [
        {
            **item,
            "text": engine.explanation_text(item["key"], item["facts"], mentee, mentor, reader),
        }
        if "facts" in item
        else item
        for item in items
    ]


# What participants read of a pair's "why" (admins keep every criterion and its figures): only
# the criteria that add to the match, as a bar (its share of the match, in whole percent) and a
# word for how well the two fit on it; no raw figures.
NEGLIGIBLE = 0.005  # a criterion adding less to the score (out of 1) adds nothing worth saying
FIT_WORDS = ((0.75, "strong"), (0.4, "good"), (0, "some"))  # a criterion's own score, 0–1
SHARE_WORDS = ((30, "strong"), (15, "good"), (0, "some"))  # without weights: its share, in %


def _total(items):
    return sum(max(item["contribution"], 0) for item in items)


def _adds(contribution, total):
    return contribution >= NEGLIGIBLE and total > 0 and round(100 * contribution / total) >= 1


def contributing(items):
    """The stored explanations without the criteria that contribute nothing (zero or near
    zero), e.g. no "shares 0 of your 1 career goal" for a participant."""
    total = _total(items)
    return [item for item in items if _adds(item["contribution"], total)]


def _word(value, scale):
    return next(word for floor, word in scale if value >= floor)


def fit_word(score):
    """A pair's fit in words, for participants (their pages show no raw scores)."""
    return "" if score is None else f"{_word(score, FIT_WORDS)} fit"


def _criterion_scores(items, weights):
    """Criterion → how well the two fit on it (0–1): its contribution over its share of the
    weights (the run's weights, normalised over the pair's criteria as the engine does). None
    when the weights don't cover the criteria (e.g. an older or hand-made pair)."""
    try:
        raw = {item["key"]: float(weights[item["key"]]) for item in items}
    except (KeyError, TypeError, ValueError):
        return None
    total = sum(w for w in raw.values() if w > 0)
    if not items or total <= 0:
        return None
    scores = {}
    for item in items:
        weight = raw[item["key"]]
        share = item["contribution"] * total / weight if weight > 0 else 0.0
        scores[item["key"]] = min(1.0, max(0.0, share))
    return scores


def for_participant(items, weights=None):
    """What a participant reads of a pair's worded explanations: each criterion that adds to
    the match, with its share of the match in whole percent and a word for how well the two
    fit on it ("strong", "good", "some"; from the run's ``weights`` when given, else from the
    share). No raw figures. Biggest share first."""
    total = _total(items)
    scores = _criterion_scores(items, weights) if weights else None
    out = []
    for item in contributing(items):
        percent = round(100 * item["contribution"] / total)
        word = _word(scores[item["key"]], FIT_WORDS) if scores else _word(percent, SHARE_WORDS)
        out.append(
            {
                "key": item["key"],
                "label": item["label"],
                "text": item.get("text", ""),
                "percent": percent,
                "strength": word,
            }
        )
    return sorted(out, key=lambda item: -item["percent"])


def run_weights(pair):
    """The weights of the run a suggestion or match came from (None without a run)."""
    run = getattr(pair, "run", None)
    return (run.settings or {}).get("weights") if run is not None else None


def stored_items(pair):
    """A suggestion's or match's explanations; pairs from before explanations were stored have
    only the shares (labelled, without words)."""
    if pair.explanations:
        return pair.explanations
    return [
        {"key": key, "label": engine.LABELS.get(key, "Custom question"), "contribution": value}
        for key, value in (pair.breakdown or {}).items()
    ]


def _stats(result):
    s = result.stats
    return {
        "mentees": s.mentees,
        "mentors": s.mentors,
        "seats": s.seats,
        "matched": s.matched,
        "unmatched": s.unmatched,
        "coverage": s.coverage,
        "mean_score": s.mean_score,
        "min_score": s.min_score,
        "total_score": s.total_score,
        "method": result.method,
        "seconds": round(result.timings["total"], 3) if result.timings else None,
        "certificate": _certificate(result.certificate),
    }


def proof(run):
    """What the run page says about its optimality: {proven, headline, text}, or None for
    runs made before runs were proven."""
    cert = (run.stats or {}).get("certificate")
    if not cert:
        return None
    objective = run.settings.get("objective", engine.QUALITY)
    aim = (
        "matches more mentees or, matching as many, has a better total fit"
        if objective == engine.COVERAGE
        else "has a better total fit"
    )
    limits = (
        "the hard rules, the mentors' places and the minimum fit"
        if run.settings.get("min_score")
        else "the hard rules and the mentors' places"
    )
    if cert.get("changed_by_hand"):
        return {
            "proven": False,
            "headline": "Changed by hand",
            "text": "Pairs were swapped after the run: the proof of optimality covered the "
            "pairs as the run proposed them.",
        }
    if cert["certified"]:
        return {
            "proven": True,
            "headline": "Optimal — proven",
            "text": f"No other arrangement within {limits} {aim}: every allowed pair was "
            "checked against this one.",
        }
    return {
        "proven": False,
        "headline": f"Within {100 * cert['gap']:.2f} % of the best possible",
        "text": "The run stopped its check early (a time or round limit); that bound is proven.",
    }


def _certificate(cert):
    """What is proven about the run's assignment (see ``engine.Certificate``)."""
    if cert is None:
        return None
    return {
        "certified": cert.certified,
        "gap": round(cert.gap, 6),
        "pricing_rounds": cert.rounds,
        "arcs_added": cert.arcs_added,
    }


# --- Review and publish --------------------------------------------------------------------------


def ensure_reviewable(run):
    ensure_editable(run.program)
    if run.status != MatchRun.Status.DONE:
        raise ValidationError(
            f"This run is {run.get_status_display().lower()}; it can't be changed."
        )


@transaction.atomic
def set_review(*, suggestion, locked=None, rejected=None, actor):
    """Lock a proposed pair (a re-run keeps it) or reject it (a re-run never proposes it)."""
    ensure_reviewable(suggestion.run)
    if locked and rejected:
        raise ValidationError("A pair can't be both locked and rejected.")
    if locked is not None:
        suggestion.locked = locked
        if locked:
            suggestion.rejected = False
    if rejected is not None:
        suggestion.rejected = rejected
        if rejected:
            suggestion.locked = False
    suggestion.save(update_fields=["locked", "rejected"])
    audit.record(
        organization=suggestion.organization,
        actor=actor,
        action="suggestion.reviewed",
        target=suggestion,
        data={"locked": suggestion.locked, "rejected": suggestion.rejected},
    )
    return suggestion


@transaction.atomic
def publish_run(*, run, actor):
    """Admin-approved and automatic modes: turn the run's assigned, not rejected pairs into
    matches and notify both people. Mentee-chooses mode: open the run's suggestions to the
    mentees instead (no match is made here; see ``services.choice``). Returns the matches."""
    from ..tasks import tell_new_matches

    run = MatchRun.objects.select_for_update().get(pk=run.pk)
    ensure_reviewable(run)
    if run.pool_fingerprint != pool_fingerprint(run.program):
        raise ValidationError(
            "Enrolments or profiles changed since this run; run matching again before publishing."
        )
    if run.program.matching_mode == Program.MatchingMode.MENTEE_CHOOSES:
        _open_for_choosing(run, actor)
        return []
    pairs = list(
        Suggestion.objects.filter(run=run, assigned=True, rejected=False).select_related(
            "mentee", "mentor"
        )
    )
    taken = set(
        Match.objects.filter(program=run.program, status__in=Match.OPEN).values_list(
            "mentee_id", flat=True
        )
    )
    fresh = [s for s in pairs if s.mentee_id not in taken]
    matches = Match.objects.bulk_create(
        [
            Match(
                organization=run.organization,
                program=run.program,
                mentee=s.mentee,
                mentor=s.mentor,
                score=s.score,
                breakdown=s.breakdown,
                explanations=s.explanations,
                run=run,
                created_by=actor,
            )
            for s in fresh
        ]
    )
    run.status = MatchRun.Status.PUBLISHED
    run.published_at, run.published_by = timezone.now(), actor
    run.save(update_fields=["status", "published_at", "published_by"])
    audit.record(
        organization=run.organization,
        actor=actor,
        action="match_run.published",
        target=run,
        # Mentees matched meanwhile (e.g. by hand) keep that match and are skipped here.
        data={"matches": len(matches), "skipped": len(pairs) - len(fresh)},
    )
    if matches:
        hooks.matches_started.send(matches=matches, actor=actor)
    ids = [m.pk for m in matches]
    # Thousands of pairs are told by a task, so publishing stays quick.
    transaction.on_commit(lambda: tell_new_matches.delay(run.organization_id, ids))
    return matches


def _open_for_choosing(run, actor):
    """Mentee-chooses mode: the run becomes the one whose suggestions mentees choose from."""
    from ..tasks import tell_suggestions_ready

    run.status, run.for_choosing = MatchRun.Status.PUBLISHED, True
    run.published_at, run.published_by = timezone.now(), actor
    run.save(update_fields=["status", "for_choosing", "published_at", "published_by"])
    mentees = Suggestion.objects.filter(run=run, rejected=False).values("mentee").distinct().count()
    audit.record(
        organization=run.organization,
        actor=actor,
        action="match_run.published",
        target=run,
        data={"mode": Program.MatchingMode.MENTEE_CHOOSES.value, "mentees": mentees},
    )
    transaction.on_commit(lambda: tell_suggestions_ready.delay(run.organization_id, run.pk))


def publish_automatically(run):
    """Automatic mode: a finished run publishes itself (no actor) and the organization's
    admins hear about it, also when publishing was refused (the run then waits for review)."""
    try:
        publish_run(run=run, actor=None)
    except ValidationError:
        published = False
    else:
        published = True
    run.refresh_from_db()
    notifications.tell_run_published(run, published)
    return run
