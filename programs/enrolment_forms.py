"""Forms and filters of the enrolment pages and API (validation only; programs.enrolment writes)."""

import django_filters
from django import forms

from mentorship.models import EMAIL_MAX_LENGTH

from .enrolment import MAX_CSV_BYTES
from .models import MENTOR_CAPACITY, Cohort, Enrollment


def _cohorts(program):
    return Cohort.objects.filter(program=program).order_by("start_date", "name")


class InviteParticipantForm(forms.Form):
    email = forms.EmailField(
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"placeholder": "name@example.org"}),
    )
    name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(choices=Enrollment.Role.choices, initial=Enrollment.Role.MENTEE)
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.none(), required=False)
    capacity = forms.IntegerField(
        min_value=MENTOR_CAPACITY[0],
        max_value=MENTOR_CAPACITY[1],
        required=False,
        help_text="Mentors only: how many mentees they can take. Empty uses the program's default.",
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = _cohorts(program)
        self.fields["cohort"].empty_label = "No cohort"
        self.fields["capacity"].widget.attrs["placeholder"] = str(program.default_mentor_capacity)


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: email, name, role (mentor or mentee), cohort (optional, by name). "
        "Up to 2000 rows.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_CSV_BYTES // 1024} KB; split it up."
            )
        return upload


class JoinForm(forms.Form):
    role = forms.ChoiceField(
        choices=Enrollment.Role.choices, widget=forms.RadioSelect, label="I'd like to join as"
    )


def _program_cohorts(request):
    program = getattr(request, "program", None)
    return _cohorts(program) if program is not None else Cohort.objects.none()


class EnrollmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Enrollment.Status.choices, empty_label="Any")
    role = django_filters.ChoiceFilter(choices=Enrollment.Role.choices, empty_label="Any")
    cohort = django_filters.ModelChoiceFilter(queryset=_program_cohorts, empty_label="Any")

    class Meta:
        model = Enrollment
        fields = ["status", "role", "cohort"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.form.fields.values():
            f.widget.attrs["class"] = "form-select"
