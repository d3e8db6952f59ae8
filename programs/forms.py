from django import forms

from .models import Cohort, Program


class DateInput(forms.DateInput):
    input_type = "date"


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = [
            "name",
            "description",
            "format",
            "start_date",
            "end_date",
            "time_zone",
            "checkin_every_weeks",
            "review_every_weeks",
            "meeting_minutes",
            "matching_mode",
            "default_mentor_capacity",
            "join_link_enabled",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }
        labels = {
            "checkin_every_weeks": "Check-in every (weeks)",
            "review_every_weeks": "Relationship review every (weeks)",
            "meeting_minutes": "Meeting length (minutes)",
            "time_zone": "Time zone (empty: the organization's)",
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be on or after the start date.")
        return cleaned


class ProgramCreateForm(forms.Form):
    name = forms.CharField(max_length=200)
    template = forms.ChoiceField(required=False, widget=forms.RadioSelect)
    start_date = forms.DateField(required=False, widget=DateInput())

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", "Start from scratch"), *templates]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Program.Status.choices)


class FoundationForm(forms.Form):
    values = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    goals = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    rules_of_engagement = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One rule per line. The pair sees these in their room.",
    )


class AgreementForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 16, "class": "font-monospace"}))


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "start_date"]
        widgets = {"start_date": DateInput()}
