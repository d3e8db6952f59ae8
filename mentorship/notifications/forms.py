from django import forms

from . import kinds


class EmailPreferencesForm(forms.Form):
    """Which optional kinds come by email; the mandatory ones are listed, not offered."""

    emailed = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        label="Email me about",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["emailed"].choices = [
            (k.name, f"{k.label} ({k.audience.lower()})") for k in kinds.optional_kinds()
        ]
