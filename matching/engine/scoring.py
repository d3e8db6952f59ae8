"""Vectorised, blockwise scoring of mentee × mentor pairs.

A block's scores are the sum of
- a float32 matrix product ``Fe @ Fm.T`` with the normalised weights folded into the
  features: goals and custom questions via the bits in use, style via its quadratic expansion,
  and the criteria that depend on a categorical pair (experience years, time zone, language
  set, location) via the table over the distinct values, factorised exactly (by its rank when
  lower, else against a one-hot of one side);
- a sparse product for what is sparse on the mentee side: skills (one entry per wanted skill
  against the mentors' min(that level, their level)) and availability (one entry per free
  hour: common hours × weight / target);
- the pair table with the most product columns (location), taken out of the product: each
  group's mentors are ordered by its key, so per block it is a row × distinct-key table
  repeated over runs of columns;
- availability's cap at 1, only where both sides have more hours than the target (a popcount
  of AND-ed bitsets of the slots in use).
Hard rules on a categorical pair (time zones too far apart, no shared language, same
department) are folded into the tables as a large negative penalty, so an infeasible pair's
raw sum is far below 0; the sparse ones (admin exclusions, previous pairs, reporting lines,
self) are set per block.

When time zones may be at most N hours apart, mentees are grouped by offset and each group is
scored only against the mentors it may meet, so infeasible pairs cost nothing.

Scores are float32 here (for ranking and assignment); `breakdown` recomputes chosen pairs
exactly in float64 from the per-criterion formulas, and that is the score results report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

try:  # scipy's CSR × dense kernel (y += A x), used by its own `@`; else `@` and a sum
    from scipy.sparse._sparsetools import csr_matvecs as _csr_matvecs
except ImportError:  # pragma: no cover
    _csr_matvecs = None

from .criteria import (
    AVAILABILITY,
    CUSTOM_PREFIX,
    EXCLUDED,
    EXPERIENCE,
    GOALS,
    LABELS,
    LANGUAGE,
    LOCATION,
    MAX_TZ_HOURS,
    NO_REPAIR,
    NOT_SAME_DEPARTMENT,
    NOT_SAME_REPORTING_LINE,
    SELF,
    SHARED_LANGUAGE,
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
    tz_distance,
    tz_score,
)
from .data import Pool, popcount

INFEASIBLE = np.float32(-1.0)
PENALTY = -4.0  # added to a pair's raw sum per broken hard rule; feasible sums lie in [0, 1]
FEASIBLE = np.float32(-0.5)  # raw sums below this are infeasible
_MAX_LOOKUP = 128  # distinct values beyond which a pair-table criterion is computed per block
_BLOCK_CELLS = 1 << 21  # rows per block ≈ this / columns, so the scratch buffers stay small
_SEGMENT_MIN_COLS = 16  # a pair table with this many product columns is added per segment
_SPARSE_COST = 8  # a sparse product entry costs about this many dense product columns
# Tie-heavy pools: selection keys are the score minus a seeded nudge below this (61 units of
# 10⁻⁶, hundreds of float32 steps): small against any real difference worth having, enough to
# order the equal ones.
_NUDGE = 2.0**-14
_PILOT_TOP = 12  # sample size: enough rows that each mentor's estimate is its ~12th best there


def _unpack(words: np.ndarray) -> np.ndarray:
    return np.unpackbits(words.view(np.uint8), axis=1, bitorder="little").astype(np.float32)


def _onehot(codes: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros((len(codes), k), np.float32)
    out[np.arange(len(codes)), codes] = 1
    return out


def _keys(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a)
    return a.reshape(a.shape[0], int(np.prod(a.shape[1:])))


def _add_sparse_product(out: np.ndarray, a: sparse.csr_matrix, b: np.ndarray) -> None:
    """out += a @ b, accumulating in place when scipy's kernel is at hand."""
    if _csr_matvecs is not None and out.flags.c_contiguous and b.flags.c_contiguous:
        _csr_matvecs(
            a.shape[0], a.shape[1], b.shape[1], a.indptr, a.indices, a.data, b.ravel(), out.ravel()
        )
    else:
        out += a @ b


def _pack(bits: np.ndarray) -> np.ndarray:
    """(n, b) 0/1 uint8 → (n, ⌈b/64⌉) uint64 bitset."""
    words = max(1, -(-bits.shape[1] // 64))
    out = np.zeros((len(bits), words * 64), np.uint8)
    out[:, : bits.shape[1]] = bits
    return np.packbits(out, axis=1, bitorder="little").view(np.uint64)


def _unique_rows(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of a 2-d array and each row's index among them (like np.unique with
    axis=0, in some fixed order, without its slow row sort)."""
    if a.shape[1] == 1:
        u, inv = np.unique(a[:, 0], return_inverse=True)
        return u[:, None], inv.reshape(-1)
    code, size = np.zeros(len(a), np.int64), 1
    for col in a.T:
        u, inv = np.unique(col, return_inverse=True)
        size *= max(len(u), 1)
        if size >= 2**62:
            u, inv = np.unique(a, axis=0, return_inverse=True)
            return u, inv.reshape(-1)
        code = code * len(u) + inv.reshape(-1)
    _, first, inv = np.unique(code, return_index=True, return_inverse=True)
    return a[first], inv.reshape(-1)


class _Pairs:
    """A sparse set of (mentee, mentor) pairs, indexed by mentee."""

    def __init__(self, pairs: np.ndarray, n: int):
        pairs = np.asarray(pairs, np.int64).reshape(-1, 2)
        m = int(pairs[:, 1].max(initial=0)) + 1
        key = np.unique(pairs[:, 0] * m + pairs[:, 1])
        self.j = key % m
        self.ptr = np.searchsorted(key // m, np.arange(n + 1))

    def __len__(self):
        return len(self.j)

    def lookup(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position in rows, mentor) of every pair whose mentee is in ``rows``."""
        start = self.ptr[rows]
        cnt = self.ptr[rows + 1] - start
        total = int(cnt.sum())
        if total == 0:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        pos = np.repeat(np.arange(len(rows)), cnt)
        idx = np.repeat(start - np.cumsum(cnt) + cnt, cnt) + np.arange(total)
        return pos, self.j[idx]

    def mask(self, rows: np.ndarray, m: int) -> np.ndarray:
        out = np.zeros((len(rows), m), bool)
        pos, j = self.lookup(rows)
        out[pos, j] = True
        return out


@dataclass
class _Cols:
    """One group's mentor columns (None = all) and the per-mentor data gathered for them."""

    cols: np.ndarray | None
    FmT: np.ndarray
    sparse_m: np.ndarray | None  # mentor side of the sparse product for these columns
    avail_e: list  # per word: (n,) mentee bits (meaningful for this group's mentees)
    avail_m: list  # per word: (columns,) mentor bits
    codes: list  # mentor codes of the per-block pair tables
    colpos: np.ndarray | None  # mentor → position in cols, -1 if absent
    seg_len: np.ndarray | None  # length of each run of columns with one segment key …
    seg_idx: np.ndarray | None  # … and that key
    clip_col0: int  # columns from here on: mentors whose availability can clip

    @property
    def size(self) -> int:
        return self.FmT.shape[1]

    def glob(self, jj: np.ndarray) -> np.ndarray:
        return jj if self.cols is None else self.cols[jj]


class _Scratch:
    """Reusable buffers (fresh large arrays cost page faults on every block)."""

    def __init__(self):
        self._bufs = {}

    def get(self, name, dtype, shape) -> np.ndarray:
        size = int(np.prod(shape))
        buf = self._bufs.get(name)
        if buf is None or buf.size < size:
            buf = self._bufs[name] = np.empty(size, dtype)
        return buf[:size].reshape(shape)


class Scorer:
    """Scores for one pool and settings. ``forbidden`` is a (p, 2) array of (mentee, mentor)
    index pairs that are never allowed (admin exclusions; previous pairs are added when the
    no_repair rule is on)."""

    def __init__(
        self, pool: Pool, settings: Settings, forbidden: np.ndarray | None = None, seed: int = 0
    ):
        self.pool, self.settings = pool, settings
        # Ties between equal scores are broken by a hash of the pair and the run's seed, not
        # by who comes first: otherwise every mentee's and every mentor's candidates favour
        # the same low indices, and people with few options lose them to people with many.
        rng = np.random.default_rng(seed)
        self._tie_e = rng.integers(0, 2**32, pool.mentees.n, dtype=np.uint64).astype(np.uint32)
        self._tie_m = rng.integers(0, 2**32, pool.mentors.n, dtype=np.uint64).astype(np.uint32)
        self.keys, self.weights = settings.active(pool)
        self.n, self.m = pool.mentees.n, pool.mentors.n
        forb = [np.asarray(forbidden if forbidden is not None else [], np.int64).reshape(-1, 2)]
        if settings.hard_rules.no_repair:
            forb.append(pool.previous_pairs)
        forb = np.concatenate(forb)
        self.forbidden = np.unique(forb, axis=0) if len(forb) else forb
        # Sparse rules, found by joins rather than pairwise compares.
        self.self_pairs = self_pairs(pool)
        self.reporting_pairs = (
            reporting_line_pairs(pool)
            if settings.hard_rules.not_same_reporting_line
            else np.empty((0, 2), np.int64)
        )
        blocked = np.concatenate([self.forbidden, self.self_pairs, self.reporting_pairs])
        self._blocked = _Pairs(blocked, self.n)
        self._build()

    def tie(self, ei, mj, out=None) -> np.ndarray:
        """A pseudo-random uint32 per (mentee, mentor) pair, fixed by the seed: the tie-break
        among equal scores (lower wins). ``ei`` and ``mj`` broadcast (into ``out``)."""
        h = np.bitwise_xor(self._tie_e[np.asarray(ei)], self._tie_m[np.asarray(mj)], out=out)
        h *= np.uint32(0x9E3779B1)
        h ^= h >> np.uint32(15)
        return h

    # -- feature construction -----------------------------------------------------------------
    def _build(self):
        E, M, s, hr = self.pool.mentees, self.pool.mentors, self.settings, self.settings.hard_rules
        w = dict(zip(self.keys, self.weights, strict=True))
        fe, fm = [], []
        self._tables = []  # (mentee keys, distinct mentor keys, mentor codes, table fn)
        self._pair_pieces = []  # (index in fe/fm, table, mentee codes, mentor codes)
        self._sparse = []  # (mentee, column, value, mentor side) parts of the sparse product
        if SKILLS in w:
            want = E.skills.astype(np.float64)
            den = want.sum(1, keepdims=True)
            inv = np.divide(w[SKILLS], den, out=np.zeros_like(den), where=den > 0)
            levels = [((E.skills >= lvl) * inv, M.skills >= lvl) for lvl in range(1, 6)]
            dense_cols = sum(int(((a != 0).any(0) & b.any(0)).sum()) for a, b in levels)
            if np.count_nonzero(E.skills) * _SPARSE_COST < dense_cols * max(self.n, 1):
                # Few wanted skills per mentee: Σ_s min(want, teach) as a sparse product, one
                # entry per wanted skill against the mentors' min(that level, their level).
                ii, ss = np.nonzero(E.skills)
                lv = E.skills[ii, ss].astype(np.int64)
                keys, col = np.unique(ss * 8 + lv, return_inverse=True)
                g = np.minimum((keys % 8)[:, None], M.skills[:, keys // 8].T).astype(np.float32)
                self._sparse.append((ii, col.reshape(-1), inv[ii, 0], g))
            else:
                for a, b in levels:
                    fe.append(a), fm.append(b.astype(np.float32))
        if GOALS in w:
            ge = _unpack(E.goals)
            cnt = ge.sum(1, keepdims=True)
            fe.append(np.divide(0.5 * w[GOALS] * ge, cnt, out=np.zeros_like(ge), where=cnt > 0))
            fm.append(_unpack(M.goals))
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
        for key in self.keys:
            if key.startswith(CUSTOM_PREFIX):
                q = question_of(self.pool, key)
                ae = _unpack(E.answers[q])
                cnt = ae.sum(1, keepdims=True)
                fe.append(np.divide(w[key] * ae, cnt, out=np.zeros_like(ae), where=cnt > 0))
                fm.append(_unpack(M.answers[q]))

        # Criteria and hard rules that depend on a categorical pair: tables over distinct values.
        def table(fn):
            return lambda ue, um: fn(ue[:, None], um[None, :])

        if EXPERIENCE in w:
            wx = w[EXPERIENCE]
            self._pair_table(
                E.years,
                M.years,
                table(lambda e, m: wx * experience_score(m[..., 0] - e[..., 0], s)),
                fe,
                fm,
            )
        max_tz = hr.max_tz_hours
        if TIME_ZONE in w or max_tz is not None:
            wt = w.get(TIME_ZONE, 0.0)

            def tz_table(e, m):
                d = tz_distance(e[..., 0], m[..., 0])
                out = wt * tz_score(d, s) if wt else np.zeros(d.shape)
                return out + PENALTY * (d > max_tz) if max_tz is not None else out

            self._pair_table(E.utc_offset, M.utc_offset, table(tz_table), fe, fm)
        if LANGUAGE in w or hr.shared_language:
            wl = w.get(LANGUAGE, 0.0)

            def lang_table(e, m):
                shared = any_shared(e, m)
                return wl * shared + (PENALTY * ~shared if hr.shared_language else 0.0)

            self._pair_table(E.languages, M.languages, table(lang_table), fe, fm)
        if LOCATION in w:
            wl = w[LOCATION]
            loc_e = np.column_stack([E.meeting_format, E.city, E.country]).astype(np.int64)
            loc_m = np.column_stack([M.meeting_format, M.city, M.country]).astype(np.int64)

            def loc_table(e, m):
                return wl * location_score(
                    e[..., 0], m[..., 0], e[..., 1], m[..., 1], e[..., 2], m[..., 2]
                ).astype(np.float64)

            self._pair_table(loc_e, loc_m, table(loc_table), fe, fm)
        if hr.not_same_department:

            def dept_table(e, m):
                return PENALTY * ((e[..., 0] == m[..., 0]) & (e[..., 0] >= 0))

            self._pair_table(E.department, M.department, table(dept_table), fe, fm)

        self._segment(fe, fm)
        # Drop columns that are zero on either side (unused goal bits, skill levels, …).
        fe = [np.asarray(a, np.float32) for a in fe]
        fm = [np.asarray(b, np.float32) for b in fm]
        keep = [(a != 0).any(0) & (b != 0).any(0) for a, b in zip(fe, fm, strict=True)]
        fe = [a[:, k] for a, k in zip(fe, keep, strict=True)] or [np.zeros((self.n, 0))]
        fm = [b[:, k] for b, k in zip(fm, keep, strict=True)] or [np.zeros((self.m, 0))]
        self.Fe = np.ascontiguousarray(np.hstack(fe), dtype=np.float32)
        self.FmT = np.ascontiguousarray(np.hstack(fm).T, dtype=np.float32)
        if self.Fe.shape[1] == 0:  # keep the matrix product well defined
            self.Fe = np.zeros((self.n, 1), np.float32)
            self.FmT = np.zeros((1, self.m), np.float32)

        self._avail = AVAILABILITY in w
        if self._avail:
            # min(1, common / target) = common × weight / target (a sparse product: one entry
            # per hour the mentee is free) unless both have more hours than the target
            # ("clipped"); only clipped × clipped pairs need a popcount, to cap it.
            target = np.minimum(s.availability_target_hours, popcount(E.availability))
            scale = np.divide(w[AVAILABILITY], target, out=np.zeros(self.n), where=target > 0)
            self._avail_scale = scale.astype(np.float32)  # weight / target hours
            self._avail_w = np.float32(w[AVAILABILITY])
            self._clipped = popcount(E.availability) > s.availability_target_hours
            self._clipped_m = popcount(M.availability) > s.availability_target_hours
            be = np.unpackbits(E.availability.view(np.uint8), axis=1, bitorder="little")
            bm = np.unpackbits(M.availability.view(np.uint8), axis=1, bitorder="little")
            used = np.flatnonzero(be.any(0) & bm.any(0))
            ii, col = np.nonzero(be[:, used])
            self._sparse.append((ii, col, scale[ii], bm[:, used].T.astype(np.float32)))
        self._sparse_e = self._sparse_m = None
        if self._sparse:
            offset = np.cumsum([0] + [p[3].shape[0] for p in self._sparse])[:-1]
            ii = np.concatenate([p[0] for p in self._sparse])
            col = np.concatenate([p[1] + o for p, o in zip(self._sparse, offset, strict=True)])
            val = np.concatenate([p[2] for p in self._sparse]).astype(np.float32)
            self._sparse_m = np.ascontiguousarray(np.vstack([p[3] for p in self._sparse]))
            shape = (self.n, self._sparse_m.shape[0])
            self._sparse_e = sparse.csr_matrix((val, (ii, col)), shape=shape)
        del self._sparse
        self._build_groups()

    def _pair_table(self, e_keys, m_keys, fn, fe, fm):
        """A criterion f(mentee key, mentor key) as matrix-product columns: the table over the
        distinct keys, factorised exactly — by its rank when that is lower (SVD), else as the
        table times a one-hot of the side with fewer distinct keys. Beyond ``_MAX_LOOKUP``
        distinct keys on both sides, it is added per block (a row × distinct-mentor-key table
        gathered by each mentor's code). Candidates for `_segment` are remembered."""
        e_keys, m_keys = _keys(e_keys), _keys(m_keys)
        ue, ie = _unique_rows(e_keys)
        um, im = _unique_rows(m_keys)
        if min(len(ue), len(um)) > _MAX_LOOKUP:
            self._tables.append((e_keys, um, im, fn))
            return
        t = np.asarray(fn(ue, um), np.float64).reshape(len(ue), len(um))
        pieces = None
        if t.size and min(t.shape) > 1:
            u, sv, vt = np.linalg.svd(t, full_matrices=False)
            r = int((sv > 1e-9 * sv[0]).sum()) if sv[0] > 0 else 0
            if r < min(t.shape) and np.abs((u[:, :r] * sv[:r]) @ vt[:r] - t).max() < 1e-12:
                pieces = (u[:, :r] * sv[:r])[ie], vt[:r].T[im]
        if pieces is None and len(um) <= len(ue):
            pieces = t[ie], _onehot(im, len(um))
        elif pieces is None:
            pieces = _onehot(ie, len(ue)), t.T[im]
        fe.append(pieces[0]), fm.append(pieces[1])
        self._pair_pieces.append((len(fe) - 1, t, ie, im))

    def _segment(self, fe, fm):
        """Take the pair table with the most product columns (if it has enough, and few
        distinct mentor keys) out of the product: each group's mentors are then ordered by
        its key, so per block it is a row × distinct-key table repeated over the segments."""
        fit = [p for p in self._pair_pieces if p[1].shape[1] <= _MAX_LOOKUP]
        best = max(fit, key=lambda p: fe[p[0]].shape[1], default=None)
        if best is not None and fe[best[0]].shape[1] < _SEGMENT_MIN_COLS:
            best = None
        self._seg = None
        if best is not None:
            at, t, ie, im = best
            fe[at], fm[at] = np.zeros((self.n, 0)), np.zeros((self.m, 0))
            self._seg = (t.astype(np.float32), ie, im)

    def _build_groups(self):
        """Mentees grouped by the mentors the time-zone rule lets them meet (one group, all
        mentors, without the rule)."""
        E, M = self.pool.mentees, self.pool.mentors
        max_tz = self.settings.hard_rules.max_tz_hours
        self._group = np.zeros(self.n, np.int64)
        self._group_cols: list[np.ndarray | None] = [None]
        if max_tz is None or self.n == 0 or self.m == 0:
            return
        ue, ie = np.unique(E.utc_offset, return_inverse=True)
        um, im = np.unique(M.utc_offset, return_inverse=True)
        if len(ue) > _MAX_LOOKUP or len(um) > _MAX_LOOKUP:
            return
        ok = tz_distance(ue[:, None], um[None, :]) <= max_tz
        pats, g = np.unique(ok, axis=0, return_inverse=True)
        self._group = g.reshape(-1)[ie.reshape(-1)]
        im = im.reshape(-1)
        self._group_cols = [
            None if p[im].all() else np.flatnonzero(p[im]).astype(np.int64) for p in pats
        ]

    def _columns(self, g: int, open_mentors: np.ndarray | None = None) -> _Cols:
        if open_mentors is None:  # every scan asks for these: build them once
            cache = self.__dict__.setdefault("_all_columns", {})
            if g not in cache:
                cache[g] = self._build_columns(g, None)
            return cache[g]
        return self._build_columns(g, open_mentors)

    def _build_columns(self, g: int, open_mentors: np.ndarray | None) -> _Cols:
        cols = self._group_cols[g]
        if open_mentors is not None:
            cols = open_mentors if cols is None else np.intersect1d(cols, open_mentors)
            if len(cols) == self.m:
                cols = None
        seg_len = seg_idx = None
        clip_col0 = 0
        if self._seg is not None or self._avail:
            # Order the columns: mentors whose availability cannot clip first, then by the
            # segment table's key (so it is constant over runs of columns).
            cols = np.arange(self.m) if cols is None else cols
            d = self._seg[0].shape[1] if self._seg is not None else 1
            key = self._seg[2][cols] if self._seg is not None else np.zeros(len(cols), np.int64)
            if self._avail:
                key = key + d * self._clipped_m[cols]
            cols = cols[np.argsort(key, kind="stable")]
            clip_col0 = int((key < d).sum())
            if self._seg is not None:
                seg_len = np.bincount(key, minlength=2 * d)
                seg_idx = np.tile(np.arange(d), 2)
        codes = [im if cols is None else im[cols] for _, _, im, _ in self._tables]
        avail_e, avail_m = [], []
        if self._avail and clip_col0 < len(cols):
            # The cap's popcount only needs the slots both this group's clipped mentees and
            # its clipped mentors use (one time zone's evenings and lunches fit in a word).
            E, M = self.pool.mentees, self.pool.mentors
            members = np.flatnonzero((self._group == g) & self._clipped)
            ae, am = E.availability[members], M.availability[cols[clip_col0:]]
            be = np.unpackbits(ae.view(np.uint8), axis=1, bitorder="little")
            bm = np.unpackbits(am.view(np.uint8), axis=1, bitorder="little")
            used = be.any(0) & bm.any(0)
            pe, pm = _pack(be[:, used]), _pack(bm[:, used])
            for k in range(pe.shape[1] if used.any() else 0):
                full = np.zeros(self.n, np.uint64)
                full[members] = pe[:, k]
                avail_e.append(full)
                avail_m.append(np.ascontiguousarray(pm[:, k]))
        colpos = None
        if cols is not None:
            colpos = np.full(self.m, -1, np.int64)
            colpos[cols] = np.arange(len(cols))
        return _Cols(
            cols,
            self.FmT if cols is None else np.ascontiguousarray(self.FmT[:, cols]),
            self._sparse_cols(cols),
            avail_e,
            avail_m,
            codes,
            colpos,
            seg_len,
            seg_idx,
            clip_col0,
        )

    def _sparse_cols(self, cols):
        if self._sparse_m is None or cols is None:
            return self._sparse_m
        return np.ascontiguousarray(self._sparse_m[:, cols])

    def _split(self, rows: np.ndarray):
        """(group, positions in rows) for each group present, in row order except that the
        mentees whose availability may clip come last."""
        g = self._group[rows]
        key = g * 2 + self._clipped[rows] if self._avail else g
        order = np.argsort(key, kind="stable")
        bounds = np.flatnonzero(np.diff(g[order])) + 1
        for part in np.split(order, bounds) if len(order) else []:
            yield int(g[part[0]]), part

    def _block_rows(self, cols: int, block_rows: int) -> int:
        return int(max(16, min(block_rows, _BLOCK_CELLS // max(cols, 1))))

    # -- dense blocks -------------------------------------------------------------------------
    def _raw(self, rows: np.ndarray, c: _Cols, out: np.ndarray, scratch: _Scratch) -> None:
        """Raw sums (len(rows), c.size) into ``out``: the score of a feasible pair (up to float32
        rounding, it may step a hair outside [0, 1]), below ``FEASIBLE`` for an infeasible one."""
        np.matmul(self.Fe[rows], c.FmT, out=out)
        self._add_elementwise(rows, c, out, scratch)

    def _add_elementwise(self, rows, c: _Cols, out, scratch: _Scratch) -> None:
        if c.sparse_m is not None:
            _add_sparse_product(out, self._sparse_e[rows], c.sparse_m)
        if c.seg_len is not None:
            t, ie, _ = self._seg
            out += np.repeat(t[ie[rows]][:, c.seg_idx], c.seg_len, axis=1)
        for (e_keys, um, _, fn), code in zip(self._tables, c.codes, strict=True):
            out += np.take(np.asarray(fn(e_keys[rows], um), np.float32), code, axis=1)
        if c.avail_e:  # cap availability at its weight for clipped mentees × clipped mentors
            clip, c0 = np.flatnonzero(self._clipped[rows]), c.clip_col0
            if len(clip) and clip[0] == len(rows) - len(clip):  # a suffix (see `_split`)
                self._cap_availability(rows[clip[0] :], c, out[clip[0] :, c0:], scratch)
            elif len(clip):
                part = out[clip, c0:]
                self._cap_availability(rows[clip], c, part, scratch)
                out[clip, c0:] = part
        if len(self._blocked):
            pos, j = self._blocked.lookup(rows)
            if c.colpos is not None:
                j = c.colpos[j]
                pos, j = pos[j >= 0], j[j >= 0]
            out[pos, j] = PENALTY

    def _cap_availability(self, rows, c: _Cols, out, scratch: _Scratch) -> None:
        """out -= max(0, common hours × weight / target − weight) for rows × the clipped
        columns (the sparse product added the uncapped value)."""
        shape = out.shape
        word = scratch.get("u64", np.uint64, shape)
        hours = scratch.get("hours", np.uint8, shape)
        part = scratch.get("u8", np.uint8, shape)
        for k, (ae, am) in enumerate(zip(c.avail_e, c.avail_m, strict=True)):
            np.bitwise_and(ae[rows][:, None], am[None, :], out=word)
            np.bitwise_count(word, out=hours if k == 0 else part)
            if k:
                np.add(hours, part, out=hours)
        tmp = scratch.get("f32", np.float32, shape)
        np.multiply(hours, self._avail_scale[rows][:, None], out=tmp)
        np.subtract(tmp, self._avail_w, out=tmp)
        np.maximum(tmp, 0, out=tmp)
        out -= tmp

    def _final(self, rows, c: _Cols, scratch: _Scratch) -> np.ndarray:
        """Scores (len(rows), c.size): in [0, 1], -1 where infeasible."""
        raw = scratch.get("raw", np.float32, (len(rows), c.size))
        self._raw(rows, c, raw, scratch)
        bad = raw < FEASIBLE
        np.clip(raw, 0.0, 1.0, out=raw)  # float32 rounding can step a hair outside
        raw[bad] = INFEASIBLE
        return raw

    def _grouped(self, rows: np.ndarray, block_rows: int):
        """(positions in rows, columns) for blocks of rows that share their group."""
        for g, pos in self._split(rows):
            c = self._columns(g)
            if c.size == 0:
                continue
            step = min(block_rows, self._block_rows(c.size, 1 << 30))
            for b0 in range(0, len(pos), step):
                yield pos[b0 : b0 + step], c

    def scores_for(self, rows: np.ndarray) -> np.ndarray:
        """Scores (len(rows), m) float32 for the given mentee rows; -1 where infeasible."""
        rows = np.asarray(rows, np.int64)
        out = np.full((len(rows), self.m), INFEASIBLE, np.float32)
        scratch = _Scratch()
        for p, c in self._grouped(rows, 1 << 30):
            raw = self._final(rows[p], c, scratch)
            if c.cols is None:
                out[p] = raw
            else:
                out[p[:, None], c.cols[None, :]] = raw
        return out

    def dense(self) -> np.ndarray:
        return self.scores_for(np.arange(self.n))

    def blocks(self, rows: np.ndarray, block_rows: int):
        """(rows of the block, their scores (len, m)) for blocks of at most ``block_rows`` of
        ``rows``; a block's rows share their time-zone group, so they come grouped."""
        rows = np.asarray(rows, np.int64)
        scratch = _Scratch()
        for p, c in self._grouped(rows, block_rows):
            out = np.full((len(p), self.m), INFEASIBLE, np.float32)
            raw = self._final(rows[p], c, scratch)
            if c.cols is None:
                out[:] = raw
            else:
                out[:, c.cols] = raw
            yield rows[p], out

    def raw_blocks(self, rows: np.ndarray, block_rows: int, mentors: np.ndarray | None = None):
        """Like `blocks`, for scans that look at a few pairs of many: (rows, the mentors of
        the columns — None for all — and their raw sums, see `_raw`: not clipped to [0, 1],
        below ``FEASIBLE`` where infeasible), in a buffer the next block reuses; only the
        columns of ``mentors`` (sorted) if given. Mentors left out are infeasible for those
        rows (time zones) or not asked for."""
        rows = np.asarray(rows, np.int64)
        scratch = _Scratch()
        for g, pos in self._split(rows):
            c = self._columns(g, mentors)
            if c.size == 0:
                continue
            step = min(block_rows, self._block_rows(c.size, 1 << 30))
            for b0 in range(0, len(pos), step):
                r = rows[pos[b0 : b0 + step]]
                out = scratch.get("raw", np.float32, (len(r), c.size))
                self._raw(r, c, out, scratch)
                yield r, c.cols, out

    # -- candidate arcs -----------------------------------------------------------------------
    def candidates(
        self,
        rows: np.ndarray,
        k_mentee: int | None = None,
        k_mentor: int | np.ndarray | None = None,
        stride: int = 4,
        block_rows: int = 2048,
        cap_factor: int = 4,
        capacity: np.ndarray | None = None,
        bounds: bool = False,
    ):
        """Candidate arcs (mentee, mentor, score) with bounded memory, to mentors with
        ``capacity`` left (default: the pool's capacities):

        - per mentee, every feasible arc scoring at least the ``k_mentee``-th best of every
          ``stride``-th mentor: a superset of its top ``k_mentee``, about ``stride`` × k_mentee
          arcs (ties capped at ``cap_factor`` × that, by the tie hash);
        - per mentor, about its ``k_mentor`` best mentees: exactly its top q over an evenly
          spread sample of the rows (q = k_mentor × sample / rows), and every arc of the other
          rows that beats the q-th best of the sample (the sample is ``_PILOT_TOP`` × rows /
          k_mentor rows, so all of them when k_mentor ≤ 12: then it is exactly the top
          k_mentor).

        In tie-heavy pools "best" is by the score nudged by the tie hash (see `_select`).
        ``k_mentee``/``k_mentor`` default to `candidate_k` (from seats per mentee and each
        mentor's capacity); ``k_mentor`` may be one number or one per mentor. With ``bounds``,
        also a `CandidateBound`: what the score of any pair that is not an arc is at most."""
        rows = np.asarray(rows, np.int64)
        cap = self.pool.mentors.capacity if capacity is None else np.asarray(capacity, np.int64)
        k_e, k_m = candidate_k(len(rows), cap)
        if k_mentee is not None:
            k_e = int(k_mentee)
        if k_mentor is not None:
            k_m = np.broadcast_to(np.asarray(k_mentor, np.int64), cap.shape)
        k_m = np.where(cap > 0, k_m, 0)
        is_open = cap > 0
        if len(rows) == 0 or not is_open.any():
            none = np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32)
            everything = CandidateBound(np.full(len(rows), np.inf), np.full(self.m, np.inf))
            return (*none, everything) if bounds else none
        # The mentors' side: the exact top q[j] over an evenly spread sample of the rows
        # estimates each mentor's k[j]-th best score over all of them (q = k × sample share);
        # the other rows then offer whatever beats that estimate.
        n_rows = len(rows)
        k_low = int(k_m[is_open].min())
        sample = n_rows if k_low <= 0 else min(n_rows, -(-n_rows * _PILOT_TOP // k_low))
        q = np.where(k_m > 0, np.maximum(1, (k_m * sample) // n_rows), 0)
        in_sample = np.zeros(n_rows, bool)
        in_sample[(np.arange(sample) * n_rows) // sample] = True
        scan = _Scan(self, rows, is_open, block_rows, k_e, stride, cap_factor * stride * k_e)
        top = _ColumnTopK(q, self.n, self.tie)
        scan.run(np.flatnonzero(in_sample), top=top)
        scan.parts.append(top.result())
        if sample < n_rows:
            scan.run(np.flatnonzero(~in_sample), th=top.th)
        ei = np.concatenate([p[0] for p in scan.parts])
        mj = np.concatenate([p[1] for p in scan.parts])
        sv = np.clip(np.concatenate([p[2] for p in scan.parts]), 0.0, 1.0)
        if not bounds:
            return ei, mj, sv
        # A pair that is no arc has a key below its row's threshold and at most its mentor's
        # (see `_select`); its score is its key plus the nudge, if any, and a float32 step.
        slack = (_NUDGE if scan.ties else 0.0) + 1e-6
        row = scan.row_th.astype(np.float64) + slack
        col = np.where(is_open, top.th.astype(np.float64) + slack, np.inf)
        return ei, mj, sv, CandidateBound(row, col)

    def _select(self, r, c: _Cols, out, th_c, own_q, k_e, stride, cap_r, scratch, ties=None):
        """Score a block and pick its arcs: (mentee, column, score, selection key, is a row
        arc, offered to the mentor's side: its key beats ``th_c`` and, if ``own_q``, is among
        the block's own ``own_q`` best for that mentor).

        The key is the score, or, when ``ties`` (None: decide on this block, see `_tied`),
        the score minus a seeded nudge per pair below ``_NUDGE``: then equal scores compare
        by the pair's tie hash, and a row with a thousand mentors at its best score yields
        its few best keys, not a thousand arcs to sort."""
        self._raw(r, c, out, scratch)
        b, mc = out.shape
        if ties is None:
            ties = _tied(out, k_e, stride)
        key = out
        if ties:
            key = scratch.get("key", np.float32, out.shape)
            h = scratch.get("hash", np.uint32, out.shape)
            self.tie(r[:, None], c.glob(np.arange(mc))[None, :], out=h)
            np.multiply(h, np.float32(_NUDGE / 2**32), out=key)
            np.subtract(out, key, out=key)
        if k_e <= 0:
            th_r = np.full(b, np.inf, np.float32)
        elif mc > stride * k_e:
            sub = key[:, ::stride]
            kk = min(k_e, sub.shape[1])
            th_r = np.partition(sub, sub.shape[1] - kk, axis=1)[:, sub.shape[1] - kk]
        else:
            th_r = np.full(b, -np.inf, np.float32)
        np.maximum(th_r, FEASIBLE, out=th_r)
        th_col = th_c
        if own_q and b > own_q:
            own = np.partition(key, b - own_q, axis=0)[b - own_q]
            th_col = np.maximum(th_c, own)
        th = scratch.get("f32", np.float32, out.shape)
        np.minimum(th_r[:, None], th_col[None, :], out=th)
        mask = scratch.get("mask", bool, out.shape)
        np.greater_equal(key, th, out=mask)
        flat = np.flatnonzero(mask)
        ii, jj = np.divmod(flat, mc)
        vv = out.reshape(-1)[flat]
        kv = key.reshape(-1)[flat] if ties else vv
        rowflag = kv >= th_r[ii]
        colflag = (kv > th_c[jj]) & (kv >= th_col[jj])
        counts = np.bincount(ii[rowflag], minlength=b)
        if counts.max(initial=0) > cap_r:  # heavy ties: keep the best cap_r per row
            ri = np.flatnonzero(rowflag)
            order = np.lexsort((self.tie(r[ii[ri]], c.glob(jj[ri])), -kv[ri], ii[ri]))
            starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
            rank = np.empty(len(ri), np.int64)
            rank[order] = np.arange(len(ri)) - np.repeat(starts, counts)
            rowflag[ri[rank >= cap_r]] = False
            capped = counts > cap_r
            th_r[capped] = key[capped].max(1)  # what a left-out pair's key is at most
        return r[ii], jj, vv, kv, rowflag, colflag, ties, th_r

    def top_mentors(self, k: int = 5, rows=None, block_rows: int = 2048):
        """Each mentee's ``k`` best feasible mentors (indices, -1 padded) and scores, best first,
        ties broken by lower mentor index."""
        rows = np.arange(self.n) if rows is None else np.asarray(rows, np.int64)
        k = min(k, self.m)
        idx = np.full((len(rows), k), -1, np.int64)
        val = np.full((len(rows), k), np.nan)
        scratch = _Scratch()
        for p, c in self._grouped(rows, block_rows) if k else ():
            sc = self._final(rows[p], c, scratch)
            kk = min(k, c.size)
            part = (
                np.argpartition(-sc, kk - 1, axis=1)[:, :kk]
                if kk < c.size
                else np.tile(np.arange(c.size), (len(sc), 1))
            )
            pv = np.take_along_axis(sc, part, 1)
            part = c.glob(part)
            order = np.lexsort((part, -pv), axis=1)
            part, pv = np.take_along_axis(part, order, 1), np.take_along_axis(pv, order, 1)
            ok = pv >= 0
            idx[p, :kk] = np.where(ok, part, -1)
            val[p, :kk] = np.where(ok, pv, np.nan)
        return idx, val

    # -- hard rules ---------------------------------------------------------------------------
    def rule_masks(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """For mentee ``rows`` × every mentor, which pairs each hard rule rules out, in the
        order self, the active rules (as `HardRules.active`), excluded by an admin (not
        counting previous pairs, which are under no_repair). Same as `criteria.rule_masks`
        plus `pair_in` for the sparse ones, computed via joins and distinct values."""
        E, M, hr, m = self.pool.mentees, self.pool.mentors, self.settings.hard_rules, self.m
        rows = np.asarray(rows, np.int64)
        if not hasattr(self, "_rule_sets"):
            self._rule_sets = (
                _Pairs(self.self_pairs, self.n),
                _Pairs(self.reporting_pairs, self.n),
                _Pairs(self.pool.previous_pairs, self.n),
                _Pairs(self.forbidden, self.n),
            )
        selfs, reporting, previous, forbidden = self._rule_sets
        out = {SELF: selfs.mask(rows, m)}
        if hr.shared_language:
            out[SHARED_LANGUAGE] = ~any_shared(E.languages[rows][:, None, :], M.languages[None])
        if hr.max_tz_hours is not None:
            um, im = np.unique(M.utc_offset, return_inverse=True)
            far = tz_distance(E.utc_offset[rows][:, None], um[None, :]) > hr.max_tz_hours
            out[MAX_TZ_HOURS] = np.take(far, im.reshape(-1), axis=1)
        if hr.not_same_department:
            d = E.department[rows][:, None]
            out[NOT_SAME_DEPARTMENT] = (d == M.department[None, :]) & (d >= 0)
        if hr.not_same_reporting_line:
            out[NOT_SAME_REPORTING_LINE] = reporting.mask(rows, m)
        excluded = forbidden.mask(rows, m)
        if hr.no_repair:
            out[NO_REPAIR] = previous.mask(rows, m)
            excluded &= ~out[NO_REPAIR]
        out[EXCLUDED] = excluded
        return out

    # -- exact breakdown ----------------------------------------------------------------------
    def breakdown(self, ei, mj) -> Breakdown:
        return breakdown(self.pool, self.settings, ei, mj)


def _tied(out: np.ndarray, k_e: int, stride: int) -> bool:
    """Whether a block's rows have many mentors at their best scores: on average more than
    twice k_e of every ``stride``-th mentor reach the k_e-th best of them."""
    sub = out[:, ::stride]
    kk = min(max(k_e, 1), sub.shape[1])
    if sub.shape[1] <= kk or not len(sub):
        return False
    th = np.partition(sub, sub.shape[1] - kk, axis=1)[:, sub.shape[1] - kk]
    return bool(((sub >= th[:, None]) & (sub >= FEASIBLE)).sum(1).mean() > 2 * kk)


class _Scan:
    """Streams blocks of rows (grouped by the mentors they may meet) through the matrix
    product, the elementwise part and arc selection, collecting arcs in ``parts``."""

    def __init__(self, sc: Scorer, rows, is_open, block_rows, k_e, stride, cap_r):
        self.sc, self.rows, self.args = sc, rows, (k_e, stride, cap_r)
        self.open = None if is_open.all() else np.flatnonzero(is_open)
        sizes = [
            int(is_open.sum() if cols is None else is_open[cols].sum()) for cols in sc._group_cols
        ]
        self.steps = [sc._block_rows(size, block_rows) for size in sizes]
        self.sizes = sizes
        self.parts = []
        self.scratch = _Scratch()
        self.ties = None  # selection keys nudged by the tie hash: decided on the first block
        # Per row, what the key of a pair it did not take as a row arc is below.
        self.row_th = np.full(len(rows), -np.inf, np.float32)

    def run(self, positions: np.ndarray, *, top: _ColumnTopK | None = None, th=None):
        """Row arcs of ``rows[positions]``, plus column entries: offered to ``top``, or kept
        when they beat the fixed per-mentor threshold ``th``."""
        sc, rows = self.sc, self.rows[positions]
        own_q = int(top.k.max(initial=0)) if top is not None else 0
        for g, pos in sc._split(rows):
            if self.sizes[g] == 0:
                continue
            c = sc._columns(g, self.open)
            step = self.steps[g]
            for b0 in range(0, len(pos), step):
                r = rows[pos[b0 : b0 + step]]
                out = self.scratch.get("raw", np.float32, (len(r), c.size))
                th_all = top.th if top is not None else th
                th_c = th_all if c.cols is None else th_all[c.cols]
                ei, jj, vv, kv, rowflag, colflag, self.ties, th_r = sc._select(
                    r, c, out, th_c, own_q, *self.args, self.scratch, self.ties
                )
                self.row_th[positions[pos[b0 : b0 + step]]] = th_r
                mj = c.glob(jj)
                self.parts.append((ei[rowflag], mj[rowflag], vv[rowflag]))
                if top is not None:
                    top.add(ei[colflag], mj[colflag], kv[colflag], rowflag[colflag], vv[colflag])
                else:
                    extra = colflag & ~rowflag
                    self.parts.append((ei[extra], mj[extra], vv[extra]))


def candidate_k(n_rows: int, capacity: np.ndarray) -> tuple[int, np.ndarray]:
    """Default candidate counts from seats per mentee r: (k_mentee, k_mentor per mentor).

    While seats are scarce or just enough (r ≤ 1) the mentors' side decides who is left out
    and which mentee gets which seat, so each mentor keeps its best 14 mentees per seat; with
    seats to spare the mentees' choices matter more, so that shrinks to 14 / r per seat (at
    least 4) while each mentee keeps a superset of its top 4·min(r, 2) (about 4× that many
    arcs, see `Scorer.candidates`). Mentors with no seat left get none. The certificate's
    pricing adds whatever these miss, so they trade the first solve's size against pricing
    rounds (timed on standard, tie-heavy and rule-heavy pools of 10k and 50k mentees)."""
    cap = np.asarray(capacity, np.int64)
    r = cap.clip(0).sum() / max(n_rows, 1)
    k_e = int(np.ceil(4 * min(max(r, 1.0), 2.0)))
    per_seat = max(14.0 / max(r, 1.0), 4.0)
    k_m = np.where(cap > 0, np.clip(np.ceil(per_seat * cap), 1, 256), 0).astype(np.int64)
    return k_e, k_m


@dataclass(frozen=True)
class CandidateBound:
    """Scores of the pairs to mentors with a seat left that `Scorer.candidates` did not
    return: that of (rows[i], j) is at most min(row[i], col[j]) (float64, in score units;
    inf: no bound — a mentor with no seat left gets no arcs and inf)."""

    row: np.ndarray
    col: np.ndarray


class _ColumnTopK:
    """Each mentor's best k[j] (mentee, key, score) entries among those offered, by key (the
    score, or the score nudged by the tie hash), in a fixed-size buffer per mentor; offers
    must beat ``th`` (the k-th best key so far once a mentor's buffer was compacted)."""

    def __init__(self, k: np.ndarray, n_mentees: int, tie):
        self.k, self.tie = np.asarray(k, np.int64), tie
        m = len(self.k)
        self.width = 2 * int(self.k.max(initial=0)) + 8
        self.v = np.full((m, self.width), -np.inf, np.float32)
        self.s = np.empty((m, self.width), np.float32)
        self.i = np.empty((m, self.width), np.int32 if n_mentees < 2**31 else np.int64)
        self.r = np.empty((m, self.width), bool)
        self.cnt = np.zeros(m, np.int64)
        self.th = np.where(self.k > 0, FEASIBLE, np.inf).astype(np.float32)

    def add(self, ei, mj, v, in_rows, s=None):
        if len(mj) == 0:
            return
        s = v if s is None else s
        order = np.argsort(mj, kind="stable")
        ei, mj, v, in_rows, s = ei[order], mj[order], v[order], in_rows[order], s[order]
        starts = np.concatenate([[0], np.flatnonzero(np.diff(mj)) + 1])
        js = mj[starts]
        counts = np.diff(np.append(starts, len(mj)))
        full = self.cnt[js] + counts > self.width
        if full.any():
            self._compact(js[full])
            if (self.cnt[js] + counts > self.width).any():  # more offers than room (ties)
                order = np.lexsort((self.tie(ei, mj), -v, mj))  # best offers first
                ei, mj, v, in_rows, s = ei[order], mj[order], v[order], in_rows[order], s[order]
                rank = np.arange(len(mj)) - np.repeat(starts, counts)
                keep = rank < self.width - self.cnt[mj]
                ei, mj, v, in_rows, s = ei[keep], mj[keep], v[keep], in_rows[keep], s[keep]
                starts = np.concatenate([[0], np.flatnonzero(np.diff(mj)) + 1])
                js = mj[starts]
                counts = np.diff(np.append(starts, len(mj)))
        slot = self.cnt[mj] + np.arange(len(mj)) - np.repeat(starts, counts)
        self.v[mj, slot], self.i[mj, slot], self.r[mj, slot] = v, ei, in_rows
        self.s[mj, slot] = s
        self.cnt[js] += counts

    def _compact(self, js):
        """Keep the best k[j] entries of the mentors ``js`` (those with more) and raise their
        thresholds to the k[j]-th best."""
        js = js[(self.cnt[js] >= self.k[js]) & (self.k[js] > 0)]
        for k in np.unique(self.k[js]):
            sel = js[self.k[js] == k]
            v = self.v[sel].astype(np.float64)
            unused = np.arange(self.width)[None, :] >= self.cnt[sel][:, None]
            # Equal keys: the pair's tie hash decides (a nudge below any float32 step).
            who = np.where(unused, 0, self.i[sel])
            v -= self.tie(who, np.broadcast_to(sel[:, None], v.shape)) * 2.0**-72
            v[unused] = -np.inf
            keep = np.sort(np.argpartition(-v, k - 1, axis=1)[:, :k], axis=1)
            rows = sel[:, None]
            for buf in (self.v, self.s, self.i, self.r):
                buf[rows, np.arange(k)] = np.take_along_axis(buf[sel], keep, 1)
            self.cnt[sel] = k
            self.th[sel] = self.v[sel, :k].min(1)

    def result(self):
        """(mentee, mentor, score) of the kept entries that are not row arcs already."""
        self._compact(np.arange(len(self.k)))
        mask = np.arange(self.width)[None, :] < self.cnt[:, None]
        mask &= ~self.r
        jj, ss = np.divmod(np.flatnonzero(mask), self.width)
        return self.i[jj, ss].astype(np.int64), jj, self.s[jj, ss]


def self_pairs(pool: Pool) -> np.ndarray:
    """(mentee, mentor) pairs that are the same person."""
    return _join(pool.mentees.ids, pool.mentors.ids)


def _join(left_keys, right_keys) -> np.ndarray:
    """(i, j) with left_keys[i] == right_keys[j] ≥ 0, by sorting: O(n log n + matches)."""
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
    return np.column_stack([li, rj]).astype(np.int64)


def reporting_line_pairs(pool: Pool) -> np.ndarray:
    """(mentee, mentor) pairs on the same reporting line: one manages the other, or they share
    a manager. Computed by sorting and joining, O(n log n + conflicts)."""
    E, M = pool.mentees, pool.mentors
    out = [
        _join(E.manager, M.ids),  # mentor manages the mentee
        _join(E.ids, M.manager),  # mentee manages the mentor
        _join(E.manager, M.manager),  # same manager
    ]
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


def custom_label(names, key):
    """A custom question's own text; "Custom question" only when the pool doesn't know it."""
    return names.get(key[len(CUSTOM_PREFIX) :], "Custom question")


def breakdown(pool: Pool, settings: Settings, ei, mj) -> Breakdown:
    """Exact per-criterion scores for the pairs (ei[k], mj[k]); O(pairs), never dense."""
    keys, weights = settings.active(pool)
    scores, det = pair_criteria(pool, settings, keys, ei, mj)
    names = pool.question_names or {}
    labels = [LABELS[k] if k in LABELS else custom_label(names, k) for k in keys]
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
