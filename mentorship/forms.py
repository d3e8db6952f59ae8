from django import forms

from .models import EMAIL_MAX_LENGTH, TIME_ZONE_CHOICES, ApiToken, Membership, Role
from .people import PHOTO_ACCEPT, PHOTO_MAX_BYTES


class InviteForm(forms.Form):
    email = forms.EmailField(
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"placeholder": "name@example.org"}),
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class ProfileForm(forms.Form):
    name = forms.CharField(max_length=150, required=False)
    time_zone = forms.ChoiceField(
        choices=[("", "Use my organization's time zone")] + TIME_ZONE_CHOICES, required=False
    )


def _max_length(name):
    return Membership._meta.get_field(name).max_length


class MemberCardForm(forms.Form):
    """How the people of one organization see you; the lengths are the model's. The photo is a
    plain file field: ``services.update_member_card`` decodes and checks it."""

    job_title = forms.CharField(
        max_length=_max_length("job_title"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Data engineer"}),
    )
    department = forms.CharField(
        max_length=_max_length("department"),
        required=False,
        label="Department or team",
        widget=forms.TextInput(attrs={"placeholder": "e.g. Platform team"}),
    )
    bio = forms.CharField(
        max_length=_max_length("bio"),
        required=False,
        label="About you",
        help_text=f"A few words, in plain text (up to {_max_length('bio')} characters).",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photo = forms.FileField(
        required=False,
        help_text=(
            f"Optional. JPEG, PNG, GIF or WebP, up to {PHOTO_MAX_BYTES // (1024 * 1024)} MB; "
            "cropped to a square."
        ),
        widget=forms.FileInput(attrs={"accept": PHOTO_ACCEPT}),
    )


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "read_only"]
        widgets = {"name": forms.TextInput(attrs={"placeholder": "e.g. BI dashboard"})}


class SignupExtraForm(forms.Form):
    """Added to allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    name = forms.CharField(
        max_length=150, label="Your name", help_text="How mentors, mentees and admins see you."
    )

    field_order = ["name", "email", "password1", "password2"]

    def signup(self, request, user):
        user.name = self.cleaned_data["name"].strip()
        user.save(update_fields=["name"])
