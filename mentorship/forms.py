from django import forms

from .models import EMAIL_MAX_LENGTH, TIME_ZONE_CHOICES, ApiToken, Role


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
