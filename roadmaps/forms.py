"""Forms of roadmaps' pages: they read input; the services check it and write."""

from django import forms

from .constants import DESCRIPTION_MAX, GOAL_MAX, NOTE_MAX, TITLE_MAX, URL_MAX
from .models import AUTO_EVENT_CHOICES, OffsetUnit, Owner
from .services.templates import APPLY_CHOICES, APPLY_NEW


class TemplateMilestoneForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX)
    description = forms.CharField(
        required=False, max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ChoiceField(choices=Owner.choices, initial=Owner.BOTH, label="Who does it")
    required = forms.BooleanField(required=False, initial=True)
    offset = forms.IntegerField(min_value=0, initial=2, label="Due")
    offset_unit = forms.ChoiceField(choices=OffsetUnit.choices, initial=OffsetUnit.WEEKS, label="")
    after = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Counted from"
    )
    resources = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One link a line, optionally with a title: “Guide | https://…”.",
    )
    output = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label="Evidences the output"
    )
    target = forms.IntegerField(
        required=False, min_value=1, help_text="A count towards the output, e.g. 5 applications."
    )
    auto_event = forms.ChoiceField(
        required=False, choices=AUTO_EVENT_CHOICES, label="Completes itself when"
    )
    apply_to = forms.ChoiceField(
        choices=APPLY_CHOICES, initial=APPLY_NEW, widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args, steps=(), outputs=(), instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["after"].choices = [("", "the match's start")] + [
            (s.pk, f"after “{s.title}”") for s in steps if instance is None or s.pk != instance.pk
        ]
        self.fields["output"].choices = [("", "None")] + [(o.pk, o.title) for o in outputs]

    def service_data(self):
        data = dict(self.cleaned_data)
        data.pop("apply_to", None)
        return data


def initial_of(step):
    return {
        "title": step.title,
        "description": step.description,
        "owner": step.owner,
        "required": step.required,
        "offset": step.offset,
        "offset_unit": step.offset_unit,
        "after": step.after_id,
        "resources": "\n".join(f"{r['title']} | {r['url']}" for r in step.resources),
        "output": step.output_id,
        "target": step.target,
        "auto_event": step.auto_event,
    }


class MilestoneForm(forms.Form):
    """A pair's own milestone."""

    title = forms.CharField(max_length=TITLE_MAX)
    description = forms.CharField(
        required=False, max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ChoiceField(choices=Owner.choices, initial=Owner.BOTH, label="Who does it")
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class CompleteForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="What did you do?",
    )
    url = forms.URLField(required=False, max_length=URL_MAX, label="Link", assume_scheme="https")
    file = forms.FileField(
        required=False,
        help_text="PDF, image, text, CSV or Office file, up to 10 MB.",
    )


class CountForm(forms.Form):
    count = forms.IntegerField(min_value=0)


class GoalForm(forms.Form):
    text = forms.CharField(max_length=GOAL_MAX, label="Goal")


class RateForm(forms.Form):
    progress = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(1, 6)], coerce=int, label="Progress"
    )
    note = forms.CharField(required=False, max_length=GOAL_MAX)


class RetireForm(forms.Form):
    reason = forms.CharField(required=False, max_length=1000)
