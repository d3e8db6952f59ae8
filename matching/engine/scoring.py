"""Vectorised, blockwise scoring of mentee × mentor pairs.

The criteria that are linear in per-person features (skills via level indicators, goals,
industry, style via its quadratic expansion, experience and time zone via lookup tables over
the mentors' distinct values, custom questions) are fused into one float32 matrix product
``Fe @ Fm.T`` with the normalised weights folded into ``Fe``; availability (popcount of
AND-ed bitsets), language and location are added elementwise. Hard rules set a pair to -1.
Scores are float32 here (for ranking and assignment); `breakdown` recomputes chosen pairs
exactly in float64 from the per-criterion formulas, and that is the score results report.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .criteria import (
    AVAILABILITY,
    CUSTOM_PREFIX,
    EXPERIENCE,
    GOALS,
    LABELS,
    LANGUAGE,
    LOCATION,
    SKILLS,
    STYLE,
    TIME_ZONE,
    Settings,
    any_shared,
    criterion_text,
    experience_score,
    location_score,
    pair_criteria,
    question_of,
    rule_masks,
    tz_distance,
    tz_score,
)
from .data import Pool, popcount

INFEASIBLE = np.float32(-1.0)
_MAX_LOOKUP = 256  # distinct mentor values beyond which a lookup criterion goes elementwise


def _unpack(words: np.ndarray, n_bits: int | None = None) -> np.ndarray:
    bits = np.unpackbits(words.view(np.uint8), axis=1, bitorder="little")
    return bits[:, : n_bits if n_bits is not None else bits.shape[1]].astype(np.float32)


class Scorer:
    """Scores for one pool and settings. ``forbidden`` is a (p, 2) array of (mentee, mentor)
    index pairs that are never allowed (admin exclusions; previous pairs are added when the
    no_repair rule is on)."""

    def __init__(self, pool: Pool, settings: Settings, forbidden: np.ndarray | None = None):
        self.pool, self.settings = pool, settings
        self.keys, self.weights = settings.active(pool)
        self.n, self.m = pool.mentees.n, pool.mentors.n
        forb = [np.asarray(forbidden if forbidden is not None else [], np.int64).reshape(-1, 2)]
        if settings.hard_rules.no_repair:
            forb.append(pool.previous_pairs)
        forb = np.concatenate(forb)
        self.forbidden = np.unique(forb, axis=0) if len(forb) else forb
        # Reporting-line conflicts are few: find them by joins, not pairwise compares.
        blocked = self.forbidden
        if settings.hard_rules.not_same_reporting_line:
            blocked = np.concatenate([blocked, reporting_line_pairs(pool)])
        self._blocked = np.unique(blocked, axis=0) if len(blocked) else blocked
        self._build()

    # -- feature construction -----------------------------------------------------------------
    def _build(self):
        E, M, s = self.pool.mentees, self.pool.mentors, self.settings
        w = dict(zip(self.keys, self.weights, strict=True))
        fe, fm = [np.zeros((self.n, 1), np.float32)], [np.zeros((self.m, 1), np.float32)]
        self._elementwise = []  # (key, weight) computed per block
        if SKILLS in w:
            want = E.skills.astype(np.float64)
            den = want.sum(1, keepdims=True)
            inv = np.divide(w[SKILLS], den, out=np.zeros_like(den), where=den > 0)
            for lvl in range(1, 6):
                a = (E.skills >= lvl) * inv
                b = (M.skills >= lvl).astype(np.float32)
                keep = (a != 0).any(0) & (b != 0).any(0)
                fe.append(a[:, keep]), fm.append(b[:, keep])
        if GOALS in w:
            ge = _unpack(E.goals)
            gm = _unpack(M.goals)
            cnt = ge.sum(1, keepdims=True)
            fe.append(np.divide(0.5 * w[GOALS] * ge, cnt, out=np.zeros_like(ge), where=cnt > 0))
            fm.append(gm)
            inds = np.unique(M.industry[M.industry >= 0])
            fe.append((E.industry[:, None] == inds[None, :]) * (0.5 * w[GOALS]))
            fm.append((M.industry[:, None] == inds[None, :]).astype(np.float32))
        if STYLE in w:
            se, sm = E.style, M.style
            c = w[STYLE] / 12.0
            fe.append(
                np.column_stack([w[STYLE] - c * (se**2).sum(1), np.full(self.n, -c), 2 * c * se])
            )
            fm.append(np.column_stack([np.ones(self.m), (sm**2).sum(1), sm]))
        for key, e_val, m_val, fn in (
            (EXPERIENCE, E.years, M.years, lambda ev, mv: experience_score(mv - ev, s)),
            (
                TIME_ZONE,
                E.utc_offset,
                M.utc_offset,
                lambda ev, mv: tz_score(tz_distance(ev, mv), s),
            ),
        ):
            if key not in w:
                continue
            uniq, inv_idx = np.unique(m_val, return_inverse=True)
            if len(uniq) <= _MAX_LOOKUP:
                fe.append(w[key] * fn(e_val[:, None], uniq[None, :]))
                onehot = np.zeros((self.m, len(uniq)), np.float32)
                onehot[np.arange(self.m), inv_idx] = 1
                fm.append(onehot)
            else:
                self._elementwise.append((key, w[key]))
        for key in self.keys:
            if key.startswith("custom:"):
                q = question_of(self.pool, key)
                ae, am = _unpack(E.answers[q]), _unpack(M.answers[q])
                cnt = ae.sum(1, keepdims=True)
                fe.append(np.divide(w[key] * ae, cnt, out=np.zeros_like(ae), where=cnt > 0))
                fm.append(am)
        self.Fe = np.ascontiguousarray(np.hstack(fe), dtype=np.float32)
        self.FmT = np.ascontiguousarray(np.hstack(fm).T, dtype=np.float32)
        for key in (AVAILABILITY, LANGUAGE, LOCATION):
            if key in w:
                self._elementwise.append((key, w[key]))
        if AVAILABILITY in w:
            target = np.minimum(s.availability_target_hours, popcount(E.availability))
            self._avail_inv = np.divide(1.0, target, out=np.zeros(self.n), where=target > 0).astype(
                np.float32
            )
            used = np.flatnonzero((M.availability != 0).any(0) & (E.availability != 0).any(0))
            self._avail_e = [np.ascontiguousarray(E.availability[:, k]) for k in used]
            self._avail_m = [np.ascontiguousarray(M.availability[:, k]) for k in used]
        # Lookups over the mentors' distinct values: a (rows × distinct) table per block,
        # gathered with each mentor's code, is much cheaper than pairwise float math.
        self._tz_vals, self._tz_code = np.unique(M.utc_offset, return_inverse=True)
        loc = np.column_stack([M.meeting_format, M.city, M.country]).astype(np.int64)
        self._loc_vals, self._loc_code = np.unique(loc, axis=0, return_inverse=True)
        self._loc_code = self._loc_code.reshape(-1)
        self._tz_code = self._tz_code.reshape(-1)
        self._lang_vals, self._lang_code = np.unique(M.languages, axis=0, return_inverse=True)
        self._lang_code = self._lang_code.reshape(-1)
        self._forb_sorted = self._blocked

    # -- dense blocks -------------------------------------------------------------------------
    def scores_for(self, rows: np.ndarray) -> np.ndarray:
        """Scores (len(rows), m) float32 for the given mentee rows; -1 where infeasible."""
        rows = np.asarray(rows, np.int64)
        E, M = self.pool.mentees, self.pool.mentors
        out = self.Fe[rows] @ self.FmT
        tmp = None
        for key, wk in self._elementwise:
            wk = np.float32(wk)
            if key == AVAILABILITY:
                h = None
                for ae, am in zip(self._avail_e, self._avail_m, strict=True):
                    x = np.bitwise_count(ae[rows][:, None] & am[None, :])
                    h = x if h is None else np.add(h, x, out=h)
                if h is None:
                    continue
                tmp = np.multiply(h, (self._avail_inv[rows] * wk)[:, None], dtype=np.float32)
                np.minimum(tmp, wk, out=tmp)
                out += tmp
            elif key == LANGUAGE:
                table = any_shared(E.languages[rows][:, None, :], self._lang_vals[None, :, :])
                out += np.take(table * wk, self._lang_code, axis=1)
            elif key == LOCATION:
                lv = self._loc_vals
                table = location_score(
                    E.meeting_format[rows][:, None],
                    lv[None, :, 0],
                    E.city[rows][:, None],
                    lv[None, :, 1],
                    E.country[rows][:, None],
                    lv[None, :, 2],
                )
                table *= wk
                out += np.take(table, self._loc_code, axis=1)
            elif key == EXPERIENCE:
                gap = M.years[None, :] - E.years[rows][:, None]
                out += (wk * experience_score(gap, self.settings)).astype(np.float32)
            elif key == TIME_ZONE:
                d = tz_distance(E.utc_offset[rows][:, None], M.utc_offset[None, :])
                out += (wk * tz_score(d, self.settings)).astype(np.float32)
        # float32 rounding can step a hair outside [0, 1]
        np.clip(out, 0.0, 1.0, out=out)
        bad = None
        settings = self.settings
        max_tz = settings.hard_rules.max_tz_hours
        if max_tz is not None:  # via the distinct offsets, then gathered
            far = tz_distance(E.utc_offset[rows][:, None], self._tz_vals[None, :]) > max_tz
            bad = np.take(far, self._tz_code, axis=1)
            settings = replace(settings, hard_rules=replace(settings.hard_rules, max_tz_hours=None))
        if settings.hard_rules.shared_language:  # via the distinct language sets
            table = ~any_shared(E.languages[rows][:, None, :], self._lang_vals[None, :, :])
            mute = np.take(table, self._lang_code, axis=1)
            bad = mute if bad is None else (bad | mute)
            rules = replace(settings.hard_rules, shared_language=False)
            settings = replace(settings, hard_rules=rules)
        if settings.hard_rules.not_same_reporting_line:  # in self._blocked
            settings = replace(
                settings, hard_rules=replace(settings.hard_rules, not_same_reporting_line=False)
            )
        for mask in rule_masks(
            self.pool, settings, rows[:, None], np.arange(self.m)[None, :]
        ).values():
            bad = mask if bad is None else (bad | mask)
        if bad is not None:
            out[bad] = INFEASIBLE
        if len(self._forb_sorted):
            f = self._forb_sorted
            # rows may be any subset; map forbidden mentee index → position in rows
            pos = np.full(self.n, -1, np.int64)
            pos[rows] = np.arange(len(rows))
            r = pos[f[:, 0]]
            hit = r >= 0
            out[r[hit], f[hit, 1]] = INFEASIBLE
        return out

    def dense(self) -> np.ndarray:
        return self.scores_for(np.arange(self.n))

    def blocks(self, rows: np.ndarray, block_rows: int):
        for b0 in range(0, len(rows), block_rows):
            r = rows[b0 : b0 + block_rows]
            yield r, self.scores_for(r)

    # -- candidate arcs -----------------------------------------------------------------------
    def candidates(
        self,
        rows: np.ndarray,
        k_mentee: int = 8,
        k_mentor: int = 8,
        stride: int = 4,
        block_rows: int = 2048,
        cap_factor: int = 4,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Candidate arcs (mentee, mentor, score) with bounded memory: every feasible arc among a
        mentee's top ``k_mentee`` mentors or a mentor's top ``k_mentor`` mentees (over ``rows``),
        plus arcs scoring at least as high as a cheap threshold: the k-th best of every
        ``stride``-th entry, so about ``stride`` × k arcs per mentee and per mentor are kept.
        Ties are capped at ``cap_factor`` × stride × k per mentee, keeping lower mentor index."""
        rows = np.asarray(rows, np.int64)
        m = self.m
        th_col = np.full(m, -np.inf, np.float32)
        parts = []
        cap_r = cap_factor * stride * k_mentee
        for r, c in self.blocks(rows, block_rows):
            b = len(r)
            if m > stride * k_mentee:
                sub = c[:, ::stride]
                kk = min(k_mentee, sub.shape[1])
                th_r = np.partition(sub, sub.shape[1] - kk, axis=1)[:, sub.shape[1] - kk]
            else:
                th_r = np.full(b, -np.inf, np.float32)
            if b > stride * k_mentor:
                subr = np.ascontiguousarray(c[::stride].T)
                kk = min(k_mentor, subr.shape[1])
                th_b = np.partition(subr, subr.shape[1] - kk, axis=1)[:, subr.shape[1] - kk]
                np.maximum(th_col, th_b, out=th_col)
            else:
                th_b = np.full(m, -np.inf, np.float32)
            by_row = c >= th_r[:, None]
            mask = by_row | (c >= th_col[None, :])
            mask &= c >= 0
            ii, jj = np.nonzero(mask)
            vv = c[ii, jj]
            rowflag = by_row[ii, jj]
            counts = np.bincount(ii, minlength=b)
            if counts.max(initial=0) > cap_r:  # heavy ties: keep the best cap_r per row
                order = np.lexsort((jj, -vv, ii))
                ii, jj, vv, rowflag = ii[order], jj[order], vv[order], rowflag[order]
                starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
                rank = np.arange(len(ii)) - np.repeat(starts, counts)
                keep = rank < cap_r
                ii, jj, vv, rowflag = ii[keep], jj[keep], vv[keep], rowflag[keep]
            parts.append((r[ii], jj.astype(np.int64), vv, rowflag))
        if not parts:
            return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32)
        ei = np.concatenate([p[0] for p in parts])
        mj = np.concatenate([p[1] for p in parts])
        sv = np.concatenate([p[2] for p in parts])
        rf = np.concatenate([p[3] for p in parts])
        keep = rf | (sv >= th_col[mj])  # drop column arcs below the final column threshold
        return ei[keep], mj[keep], sv[keep]

    def top_mentors(self, k: int = 5, rows=None, block_rows: int = 2048):
        """Each mentee's ``k`` best feasible mentors (indices, -1 padded) and scores, best first,
        ties broken by lower mentor index."""
        rows = np.arange(self.n) if rows is None else np.asarray(rows, np.int64)
        k = min(k, self.m)
        idx = np.full((len(rows), k), -1, np.int64)
        val = np.full((len(rows), k), np.nan)
        for b0 in range(0, len(rows), block_rows):
            c = self.scores_for(rows[b0 : b0 + block_rows])
            part = (
                np.argpartition(-c, k - 1, axis=1)[:, :k]
                if k < self.m
                else np.tile(np.arange(self.m), (len(c), 1))
            )
            pv = np.take_along_axis(c, part, 1)
            order = np.lexsort((part, -pv), axis=1)
            part, pv = np.take_along_axis(part, order, 1), np.take_along_axis(pv, order, 1)
            ok = pv >= 0
            idx[b0 : b0 + len(c)] = np.where(ok, part, -1)
            val[b0 : b0 + len(c)] = np.where(ok, pv, np.nan)
        return idx, val

    # -- exact breakdown ----------------------------------------------------------------------
    def breakdown(self, ei, mj) -> Breakdown:
        return breakdown(self.pool, self.settings, ei, mj)


def reporting_line_pairs(pool: Pool) -> np.ndarray:
    """(mentee, mentor) pairs on the same reporting line: one manages the other, or they share
    a manager. Computed by sorting and joining, O(n log n + conflicts)."""
    E, M = pool.mentees, pool.mentors
    out = []

    def join(left_keys, right_keys):
        lo = np.flatnonzero(left_keys >= 0)
        ro = np.flatnonzero(right_keys >= 0)
        lo = lo[np.argsort(left_keys[lo], kind="stable")]
        ro = ro[np.argsort(right_keys[ro], kind="stable")]
        lk, rk = left_keys[lo], right_keys[ro]
        start = np.searchsorted(rk, lk, "left")
        stop = np.searchsorted(rk, lk, "right")
        cnt = stop - start
        li = np.repeat(lo, cnt)
        offs = np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        rj = ro[np.repeat(start, cnt) + offs]
        return np.column_stack([li, rj])

    out.append(join(E.manager, M.ids))  # mentor manages the mentee
    out.append(join(E.ids, M.manager))  # mentee manages the mentor
    out.append(join(E.manager, M.manager))  # same manager
    return np.concatenate(out).astype(np.int64)


@dataclass(frozen=True)
class Breakdown:
    """Per-criterion scores of some pairs. ``totals == scores @ weights`` exactly (float64);
    ``contributions = scores * weights`` are the bars that add up to the total."""

    keys: list[str]
    labels: list[str]
    weights: np.ndarray
    scores: np.ndarray
    details: dict

    @property
    def contributions(self) -> np.ndarray:
        return self.scores * self.weights[None, :]

    @property
    def totals(self) -> np.ndarray:
        return self.contributions.sum(axis=1)


def breakdown(pool: Pool, settings: Settings, ei, mj) -> Breakdown:
    """Exact per-criterion scores for the pairs (ei[k], mj[k]); O(pairs), never dense."""
    keys, weights = settings.active(pool)
    scores, det = pair_criteria(pool, settings, keys, ei, mj)
    labels = [
        LABELS[k] if k in LABELS else f"Custom question {k[len(CUSTOM_PREFIX) :]}" for k in keys
    ]
    return Breakdown(keys, labels, weights, scores, det)


@dataclass(frozen=True)
class CriterionExplanation:
    key: str
    label: str
    weight: float  # normalised, the weights sum to 1
    score: float  # 0–1
    contribution: float  # weight × score; contributions add up to the pair's score
    text: str


def explain(pool: Pool, settings: Settings, mentee: int, mentor: int):
    """(total score, [CriterionExplanation, …]) for one pair, in plain words."""
    bd = breakdown(pool, settings, [mentee], [mentor])
    e_name = pool.mentees.name(mentee, "the mentee")
    m_name = pool.mentors.name(mentor, "the mentor")
    items = [
        CriterionExplanation(
            key=k,
            label=bd.labels[c],
            weight=float(bd.weights[c]),
            score=float(bd.scores[0, c]),
            contribution=float(bd.contributions[0, c]),
            text=criterion_text(k, 0, bd.details, e_name, m_name),
        )
        for c, k in enumerate(bd.keys)
    ]
    return float(bd.totals[0]), items
