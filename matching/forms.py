"""Forms of the profile and criteria pages. They parse what the browser sends into the shape
``matching.services`` takes; the services do the real validation."""

import django_filters
from django import forms
from django.db.models import Q

from mentorship.models import EMAIL_MAX_LENGTH, TIME_ZONE_CHOICES, Membership
from programs.models import MENTOR_CAPACITY, Enrollment

from . import languages
from .constants import FIELD_QUESTION, MAX_TZ_HOURS, STYLE_FIELDS
from .models import (
    CRITERION_QUESTIONS,
    HARD_RULE_QUESTIONS,
    Criterion,
    CustomQuestion,
    HardRule,
    Objective,
    Profile,
    ProfileQuestion,
    Suggestion,
)

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SKILL_LEVEL_CHOICES = [
    (1, "1 · beginner"),
    (2, "2 · some"),
    (3, "3 · solid"),
    (4, "4 · strong"),
    (5, "5 · expert"),
]
# The three style axes: field → (label, left end, right end).
STYLE_AXES = {
    "style_direct_supportive": ("Feedback", "Direct", "Supportive"),
    "style_structured_exploratory": ("Conversations", "Structured", "Exploratory"),
    "style_written_spoken": ("Between meetings", "Written", "Spoken"),
}


class RangeInput(forms.NumberInput):
    input_type = "range"

    def __init__(self, attrs=None):
        super().__init__({"class": "form-range", **(attrs or {})})


class ProfileForm(forms.Form):
    """The profile, showing only the questions the program asks."""

    skills = forms.Field(required=False)  # parsed from the skill_name/skill_level rows
    industry = forms.CharField(max_length=100, required=False)
    career_goals = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Career goals"
    )
    career_goals_text = forms.CharField(
        required=False,
        max_length=1000,
        label="Your goals in your own words",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    years_experience = forms.IntegerField(
        min_value=0, max_value=60, required=False, label="Years of experience"
    )
    style_direct_supportive = forms.IntegerField(min_value=-100, max_value=100, required=False)
    style_structured_exploratory = forms.IntegerField(min_value=-100, max_value=100, required=False)
    style_written_spoken = forms.IntegerField(min_value=-100, max_value=100, required=False)
    meeting_frequency = forms.ChoiceField(
        choices=Profile.Frequency.choices, label="How often would you like to meet?"
    )
    meeting_format = forms.ChoiceField(choices=Profile.MeetingFormat.choices, label="Format")
    city = forms.CharField(max_length=100, required=False)
    country = forms.CharField(max_length=100, required=False)
    time_zone = forms.ChoiceField(
        choices=[("", "—"), *TIME_ZONE_CHOICES], required=False, label="Time zone"
    )
    languages = forms.CharField(
        required=False,
        max_length=300,
        label="Languages",
        help_text="Comma-separated, e.g. “English, German” or “en, de”.",
    )
    availability = forms.TypedMultipleChoiceField(
        choices=[(i, i) for i in range(7 * 24)], coerce=int, required=False
    )
    department = forms.CharField(
        max_length=100,
        required=False,
        help_text="Matching reads this for its department rules; a first profile starts from "
        "the department on your organization profile.",
    )
    manager_email = forms.EmailField(
        max_length=EMAIL_MAX_LENGTH, required=False, label="Your line manager's email"
    )
    hopes = forms.CharField(
        required=False,
        max_length=2000,
        label="What I hope to get or give",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    capacity = forms.IntegerField(
        min_value=MENTOR_CAPACITY[0],
        max_value=MENTOR_CAPACITY[1],
        required=False,
        label="How many mentees can you take?",
    )

    def __init__(self, data=None, *, settings, questions, enrollment, profile, disabled=False):
        self.settings, self.questions, self.enrollment = settings, questions, enrollment
        super().__init__(data, initial=self._initial(profile, enrollment))
        asked = set(settings.questions)
        for name in list(self.fields):
            question = FIELD_QUESTION.get(name)
            if question and question not in asked:
                del self.fields[name]
        if enrollment.role != Enrollment.Role.MENTOR:
            del self.fields["capacity"]
        if "career_goals" in self.fields:
            options = settings.career_goal_options
            self.fields["career_goals"].choices = [(o, o) for o in options]
            if not options:
                del self.fields["career_goals"]
        for field, (label, _, _) in STYLE_AXES.items():
            if field in self.fields:
                self.fields[field].label = label
                self.fields[field].widget = RangeInput(attrs={"min": -100, "max": 100, "step": 10})
        for q in questions:
            name = f"custom_{q.pk}"
            choices = [(o, o) for o in q.options]
            if q.kind == CustomQuestion.Kind.SINGLE:
                self.fields[name] = forms.ChoiceField(
                    choices=choices, required=False, widget=forms.RadioSelect, label=q.text
                )
            else:
                self.fields[name] = forms.MultipleChoiceField(
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    label=q.text,
                )
            self.initial[name] = profile.custom_answers.get(str(q.pk), [])
            if q.kind == CustomQuestion.Kind.SINGLE:
                self.initial[name] = (self.initial[name] or [""])[0]
        if disabled:
            for field in self.fields.values():
                field.disabled = True
        self.disabled = disabled
        self.skill_rows = self._skill_rows(profile)

    @staticmethod
    def _initial(profile, enrollment):
        initial = {
            f: getattr(profile, f)
            for f in FIELD_QUESTION
            if f not in ("skills", "languages", *STYLE_FIELDS)
        }
        initial["languages"] = ", ".join(languages.label(c) for c in profile.languages)
        for f in STYLE_FIELDS:
            initial[f] = round(getattr(profile, f) * 100)
        initial["capacity"] = enrollment.capacity
        if profile.pk is None and enrollment.user_id and enrollment.user.time_zone:
            # A first profile starts from the account's time zone; the person confirms it.
            initial["time_zone"] = enrollment.user.time_zone
        if profile.pk is None and enrollment.user_id:
            # …and from the department on their organization profile: typed once, not twice.
            initial["department"] = (
                Membership.objects.filter(
                    organization_id=enrollment.organization_id, user_id=enrollment.user_id
                )
                .values_list("department", flat=True)
                .first()
                or ""
            )
        return initial

    def _skill_rows(self, profile):
        if self.is_bound:
            names = self.data.getlist("skill_name")
            levels = self.data.getlist("skill_level")
            rows = [(n, lv) for n, lv in zip(names, levels, strict=False) if n.strip()]
        else:
            rows = [(name, str(level)) for name, level in profile.skills.items()]
        return [*rows, ("", "3"), ("", "3")] if not self.disabled else rows

    @property
    def custom_fields(self):
        return [self[f"custom_{q.pk}"] for q in self.questions]

    @property
    def availability_days(self):
        """[(day name, [(slot, "09:00", checked)])] for the 7×24 grid."""
        if self.is_bound:
            chosen = {int(s) for s in self.data.getlist("availability") if s.isdigit()}
        else:
            chosen = set(self.initial.get("availability") or [])
        return [
            (
                day,
                [(d * 24 + h, f"{h:02d}:00", d * 24 + h in chosen) for h in range(24)],
            )
            for d, day in enumerate(DAYS)
        ]

    @property
    def style_axes(self):
        return [
            (self[f], left, right) for f, (_, left, right) in STYLE_AXES.items() if f in self.fields
        ]

    def clean_skills(self):
        skills = {}
        for name, level in zip(
            self.data.getlist("skill_name"), self.data.getlist("skill_level"), strict=False
        ):
            if not name.strip():
                continue
            if not level.isdigit():
                raise forms.ValidationError(f"Choose a level for “{name.strip()}”.")
            key = " ".join(name.split())
            if key.casefold() in {k.casefold() for k in skills}:
                raise forms.ValidationError(f"“{key}” is listed twice.")
            skills[key] = int(level)
        return skills

    def service_kwargs(self):
        """What ``services.save_profile`` takes, from the cleaned data."""
        data = self.cleaned_data
        out = {}
        for name in self.fields:
            if name.startswith("custom_") or name not in data:
                continue
            value = data[name]
            if name in STYLE_FIELDS:
                value = (value or 0) / 100
            elif name == "capacity" and value is None:
                continue
            out[name] = value
        if self.questions:
            answers = {}
            for q in self.questions:
                chosen = data.get(f"custom_{q.pk}") or []
                answers[str(q.pk)] = [chosen] if isinstance(chosen, str) else list(chosen)
            out["custom_answers"] = answers
        return out


class CriteriaForm(forms.Form):
    """The matching matrix: questions asked, career goal options, weights, hard rules."""

    questions = forms.MultipleChoiceField(
        choices=ProfileQuestion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Profile questions the program asks",
    )
    career_goal_options = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Career goals participants choose from",
        help_text="One per line. Participants can also describe goals in their own words.",
    )
    max_tz_hours = forms.IntegerField(
        min_value=MAX_TZ_HOURS[0],
        max_value=MAX_TZ_HOURS[1],
        required=False,
        label="N (hours)",
    )
    request_expiry_days = forms.IntegerField(
        min_value=1,
        max_value=30,
        required=False,
        label="Mentor requests expire after (days)",
        help_text="When mentees choose their mentor: how long a mentor has to answer.",
    )
    objective = forms.ChoiceField(
        choices=[
            (Objective.COVERAGE, "Everyone matched first"),
            (Objective.QUALITY, "Quality first"),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        required=False,  # left out: unchanged
        label="What a run aims for",
    )
    min_score = forms.IntegerField(
        min_value=0,
        max_value=90,
        required=False,
        label="Minimum fit (%)",
        help_text="No pair is made below this fit; 0 makes any pair the hard rules allow.",
        widget=forms.NumberInput(attrs={"step": 5}),
    )

    def __init__(self, data=None, *, settings, questions, disabled=False):
        self.custom_questions = questions
        initial = {
            "objective": settings.objective,
            "min_score": round(100 * settings.min_score),
            "request_expiry_days": settings.request_expiry_days,
            "questions": settings.questions,
            "career_goal_options": "\n".join(settings.career_goal_options),
            "max_tz_hours": settings.hard_rules.get(HardRule.MAX_TZ_HOURS) or 3,
        }
        super().__init__(data, initial=initial)
        for key, label in self.criteria:
            name = self.weight_field(key)
            self.fields[name] = forms.IntegerField(
                min_value=0,
                max_value=100,
                required=False,
                label=label,
                widget=RangeInput(attrs={"step": 5, "data-output": f"{name}-output"}),
            )
            self.initial[name] = round(100 * float(settings.weights.get(key, 0)))
        for rule in HardRule:
            name = f"rule_{rule.value}"
            self.fields[name] = forms.BooleanField(required=False, label=rule.label)
            self.initial[name] = bool(settings.hard_rules.get(rule.value) is not None)
            if rule == HardRule.MAX_TZ_HOURS:
                self.initial[name] = HardRule.MAX_TZ_HOURS.value in settings.hard_rules
        if disabled:
            for field in self.fields.values():
                field.disabled = True

    @property
    def criteria(self):
        return [(c.value, c.label) for c in Criterion] + [
            (q.criterion_key, q.text) for q in self.custom_questions
        ]

    @staticmethod
    def weight_field(key):
        return "weight_" + key.replace(":", "_")

    @property
    def weight_rows(self):
        """[(bound field, the question it needs or "")] for the sliders."""
        return [
            (
                self[self.weight_field(key)],
                ProfileQuestion(CRITERION_QUESTIONS[key]).label
                if key in CRITERION_QUESTIONS
                else "",
            )
            for key, _ in self.criteria
        ]

    @property
    def rule_rows(self):
        """[(bound field, rule value, the question it needs or "")] for the switches."""
        return [
            (
                self[f"rule_{rule.value}"],
                rule.value,
                ProfileQuestion(HARD_RULE_QUESTIONS[rule]).label
                if HARD_RULE_QUESTIONS.get(rule)
                else "",
            )
            for rule in HardRule
        ]

    def service_kwargs(self):
        data = self.cleaned_data
        rules = {}
        for rule in HardRule:
            if data.get(f"rule_{rule.value}"):
                rules[rule.value] = (
                    data.get("max_tz_hours") if rule == HardRule.MAX_TZ_HOURS else True
                )
                if rules[rule.value] is None:
                    rules[rule.value] = -1  # the service explains N's range
        return {
            "questions": data["questions"],
            "career_goal_options": data["career_goal_options"],
            "weights": {
                key: (data.get(self.weight_field(key)) or 0) / 100 for key, _ in self.criteria
            },
            "hard_rules": rules,
            "objective": data.get("objective") or None,
            "min_score": (data.get("min_score") or 0) / 100,
        }


class CustomQuestionForm(forms.Form):
    text = forms.CharField(max_length=300, label="Question")
    kind = forms.ChoiceField(choices=CustomQuestion.Kind.choices, label="Answer")
    options = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Options",
        help_text="One per line, 2 to 20.",
    )


class PairFilter(django_filters.FilterSet):
    """The review table's search and filters over a run's proposed pairs."""

    SHOW_CHOICES = [
        ("open", "Not reviewed yet"),
        ("locked", "Locked"),
        ("rejected", "Rejected"),
    ]
    ORDER_CHOICES = [
        ("score", "Weakest first"),
        ("-score", "Strongest first"),
        ("mentee", "Mentee email"),
        ("mentor", "Mentor email"),
    ]
    ORDERINGS = {
        "score": ("score", "mentee__email"),
        "-score": ("-score", "mentee__email"),
        "mentee": ("mentee__email",),
        "mentor": ("mentor__email", "mentee__email"),
    }

    q = django_filters.CharFilter(
        method="filter_q",
        label="Search",
        help_text="Names or emails of either person; separate several with commas.",
    )
    show = django_filters.ChoiceFilter(
        choices=SHOW_CHOICES, method="filter_show", empty_label="All pairs", label="Show"
    )
    order = django_filters.ChoiceFilter(
        choices=ORDER_CHOICES, method="filter_order", empty_label=None, label="Order"
    )

    class Meta:
        model = Suggestion
        fields = ["q", "show", "order"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("order", "score")
        super().__init__(data, *args, **kwargs)
        self.form.fields["q"].widget.attrs |= {"class": "form-control", "type": "search"}
        for name in ("show", "order"):
            self.form.fields[name].widget.attrs["class"] = "form-select"

    def filter_q(self, queryset, name, value):
        terms = [t.strip() for t in value.split(",") if t.strip()][:10]
        match = Q()
        for term in terms:
            for person in ("mentee", "mentor"):
                match |= (
                    Q(**{f"{person}__email__icontains": term})
                    | Q(**{f"{person}__name__icontains": term})
                    | Q(**{f"{person}__user__name__icontains": term})
                )
        return queryset.filter(match) if terms else queryset

    def filter_show(self, queryset, name, value):
        return {
            "open": queryset.filter(locked=False, rejected=False),
            "locked": queryset.filter(locked=True),
            "rejected": queryset.filter(rejected=True),
        }[value]

    def filter_order(self, queryset, name, value):
        return queryset.order_by(*self.ORDERINGS[value])


class PoolFilter(django_filters.FilterSet):
    """The pool overview's search and filters (``open_matches`` comes from
    ``queries.with_match_state``)."""

    STATE_CHOICES = [
        ("unmatched", "Not matched"),
        ("matched", "Matched"),
        ("no_profile", "No profile yet"),
    ]

    q = django_filters.CharFilter(method="filter_q", label="Search")
    role = django_filters.ChoiceFilter(
        choices=Enrollment.Role.choices, empty_label="Everyone", label="Role"
    )
    state = django_filters.ChoiceFilter(
        choices=STATE_CHOICES, method="filter_state", empty_label="Any", label="Matching"
    )

    class Meta:
        model = Enrollment
        fields = ["q", "role", "state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget.attrs |= {
            "class": "form-control",
            "type": "search",
            "placeholder": "Name or email",
        }
        for name in ("role", "state"):
            self.form.fields[name].widget.attrs["class"] = "form-select"

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(email__icontains=value) | Q(name__icontains=value) | Q(user__name__icontains=value)
        )

    def filter_state(self, queryset, name, value):
        return {
            "matched": queryset.filter(open_matches__gt=0),
            "unmatched": queryset.filter(open_matches=0),
            "no_profile": queryset.filter(profile__isnull=True),
        }[value]
