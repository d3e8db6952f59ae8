"""The audit log: its one write path, and how its entries read.

Writing: services call ``record`` inside their transaction.

Reading: every entry reads as a sentence an admin understands ("Ada Admin published run 3 of
Career moves 2027 — 12 pairs made, 1 skipped."), with a link to the thing where it still exists
and the viewer may open it. The sentences live in a registry that each app fills for the actions
it records, from its own ``audit_messages`` module imported in its ``AppConfig.ready()`` (the
core's are in ``mentorship.audit_messages``), so the core never imports the apps above it::

    audit.group("cohort", "Cohorts")  # the filter's heading for every "cohort.…" action
    audit.describe("cohort.deleted", "Cohort deleted", "{actor} deleted the cohort “{name}”.")
    audit.describe("match_run.published", "Run published", published)  # a function of a Line
    audit.target_kind("programs.cohort", url=cohort_url, select_related=("program__organization",))

- ``describe(action, label, sentence)``: ``label`` names the action in the filter;
  ``sentence`` is a ``format_html`` template (``{actor}``, ``{target}`` — the linked thing — and
  the entry's scalar ``data`` keys) or a function ``(line: Line) -> str`` that builds its words
  with ``format_html`` / ``line.link…``. User text is escaped, never marked safe.
- ``target_kind(model_label, url=…, text=…, select_related=…, queryset=…, key=…)``: how the thing an
  entry points at (``target_type``, a model's ``label_lower``) is loaded, named and linked.
  ``url(obj, viewer_membership)`` returns None where the viewer may not open it.
- ``describe_entries(entries, viewer=…)`` loads a page's targets in bulk (one query per kind of
  target on the page) and sets ``entry.sentence`` (safe HTML) and ``entry.summary`` (plain text).

An action nobody registered, or a sentence that fails on an old entry's data, reads as a
humanised fallback ("Ada Admin: widget renamed — Thing."), never as a crash or a dict.
"""

import html
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape, format_html, format_html_join, strip_tags

from .models import AuditLogEntry

logger = logging.getLogger(__name__)


def record(*, organization, actor, action: str, target=None, data: dict | None = None):
    return AuditLogEntry.objects.create(
        organization=organization,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        data=data or {},
    )


# --- The registry --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sentence:
    label: str
    sentence: str | Callable


@dataclass(frozen=True)
class _Target:
    url: Callable | None
    text: Callable
    select_related: tuple
    queryset: Callable | None
    key: str


_SENTENCES: dict[str, _Sentence] = {}
_GROUPS: dict[str, str] = {}
_TARGETS: dict[str, _Target] = {}


def group(prefix: str, label: str):
    """Name the actions ``<prefix>.…`` as a group (a heading in the filter)."""
    _GROUPS[prefix] = label


def describe(action: str, label: str, sentence):
    """Register how ``action`` reads: ``label`` for the filter, ``sentence`` for the log."""
    if action in _SENTENCES:
        raise ValueError(f"The audit action {action!r} is described twice.")
    _SENTENCES[action] = _Sentence(label=label, sentence=sentence)


def target_kind(model_label, *, url=None, text=str, select_related=(), queryset=None, key="pk"):
    """Register how entries load, name and link a target of the model ``model_label``.

    ``queryset(organization_id)`` overrides where targets are looked up (default: the model's
    rows of the organization); ``key`` is the attribute of a loaded object that equals the
    entry's ``target_id`` (default its pk)."""
    _TARGETS[model_label] = _Target(
        url=url,
        text=text,
        select_related=tuple(select_related),
        queryset=queryset,
        key=key,
    )


def is_described(action: str) -> bool:
    return action in _SENTENCES


def action_choices():
    """The filter's choices: one group per prefix, an "all" option, then each action."""
    grouped = defaultdict(list)
    for action, spec in _SENTENCES.items():
        grouped[action.partition(".")[0]].append((action, spec.label))
    choices = []
    for prefix, actions in grouped.items():
        heading = _GROUPS.get(prefix) or humanize(prefix).capitalize()
        choices.append((heading, [(f"{prefix}.", f"{heading} (all)"), *actions]))
    return choices


def humanize(action: str) -> str:
    """``match_run.published`` → ``match run published``."""
    return " ".join(action.replace("_", " ").replace(".", " ").split())


# --- Reading -------------------------------------------------------------------------------------


class Line:
    """What a sentence function reads: the entry, its live target (None when gone or not
    loaded), the viewer's membership, and helpers that link and escape."""

    def __init__(self, entry, obj=None, viewer=None):
        self.entry = entry
        self.obj = obj
        self.viewer = viewer
        self.data = entry.data if isinstance(entry.data, dict) else {}

    @property
    def actor(self) -> str:
        actor = self.entry.actor
        return actor.display_name if actor is not None else "The system"

    def link(self, text, url=None):
        """``text`` escaped, as a link when there is a ``url``."""
        if url:
            return format_html('<a href="{}">{}</a>', url, text)
        return conditional_escape(text)

    def url_of(self, obj, label=None):
        spec = _TARGETS.get(label or obj._meta.label_lower)
        if spec is None or spec.url is None:
            return None
        return spec.url(obj, self.viewer)

    def name_of(self, obj, label=None):
        spec = _TARGETS.get(label or obj._meta.label_lower)
        return spec.text(obj) if spec is not None else str(obj)

    def link_to(self, obj, text=None, label=None):
        """A related object (a run's program…), named and linked by its registration."""
        if obj is None:
            return conditional_escape(text or "")
        return self.link(text or self.name_of(obj, label), self.url_of(obj, label))

    def thing(self, fallback=None):
        """The entry's target: linked by its current name while it exists, else the name it had
        (``fallback``, or the one stored with the entry)."""
        if self.obj is not None:
            return self.link_to(self.obj, label=self.entry.target_type)
        return conditional_escape(fallback or self.entry.target_repr or "something")

    def get(self, key, default=""):
        return self.data.get(key, default)


def _scalars(data):
    return {k: v for k, v in data.items() if isinstance(v, str | int | float) and k.isidentifier()}


def _render(spec, line):
    if callable(spec.sentence):
        return conditional_escape(spec.sentence(line))
    return format_html(
        spec.sentence, **{**_scalars(line.data), "actor": line.actor, "target": line.thing()}
    )


def fallback(line):
    """An action without a sentence: its humanised name, who, and the thing."""
    words = humanize(line.entry.action) or "did something"
    if line.obj is not None or line.entry.target_repr:
        return format_html("{}: {} — {}.", line.actor, words, line.thing())
    return format_html("{}: {}.", line.actor, words)


def sentence_of(entry, obj=None, viewer=None):
    line = Line(entry, obj, viewer)
    spec = _SENTENCES.get(entry.action)
    if spec is not None:
        try:
            return _render(spec, line)
        except Exception:
            # An old entry whose data no longer fits the sentence: it still reads, and we hear.
            logger.exception("The audit sentence of %r failed on entry %s", entry.action, entry.pk)
    return fallback(line)


def plain(sentence) -> str:
    return html.unescape(strip_tags(str(sentence)))


def _ids(model, ids):
    out = []
    for value in ids:
        try:
            out.append(model._meta.pk.to_python(value))
        except ValidationError:
            continue
    return out


def _load(label, ids, organization_id):
    spec = _TARGETS[label]
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return {}
    if spec.queryset is not None:
        queryset = spec.queryset(organization_id)
    elif any(f.name == "organization" for f in model._meta.fields):
        queryset = model._default_manager.filter(organization_id=organization_id)
    else:
        queryset = model._default_manager.all()
    if spec.select_related:
        queryset = queryset.select_related(*spec.select_related)
    queryset = queryset.filter(**{f"{spec.key}__in": _ids(model, ids)})
    return {str(getattr(obj, spec.key)): obj for obj in queryset}


def describe_entries(entries, *, viewer=None):
    """Set ``sentence`` and ``summary`` on each entry (a page of one organization's log): the
    targets load in bulk, one query per kind of target among the entries."""
    entries = list(entries)
    wanted = defaultdict(set)
    for entry in entries:
        if entry.target_type in _TARGETS and entry.target_id:
            wanted[entry.target_type].add(entry.target_id)
    loaded = {}
    if wanted:
        organization_id = entries[0].organization_id
        loaded = {label: _load(label, ids, organization_id) for label, ids in wanted.items()}
    for entry in entries:
        obj = loaded.get(entry.target_type, {}).get(entry.target_id)
        entry.sentence = sentence_of(entry, obj, viewer)
        entry.summary = plain(entry.sentence)
    return entries


def summary_of(entry, viewer=None) -> str:
    """The entry's sentence as plain text (described on demand when not yet)."""
    if not hasattr(entry, "summary"):
        describe_entries([entry], viewer=viewer)
    return entry.summary


def join_words(items):
    """["a", "b", "c"] → "a, b and c", each part escaped (or already safe)."""
    items = [conditional_escape(i) for i in items]
    if len(items) <= 1:
        return items[0] if items else ""
    return format_html(
        "{} and {}", format_html_join(", ", "{}", ((i,) for i in items[:-1])), items[-1]
    )
