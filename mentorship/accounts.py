"""allauth adapter: sign-up is by invitation unless OPEN_SIGNUP is set."""

from allauth.account import views as allauth_views
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.conf import settings

INVITATION_SESSION_KEY = "invitation_token"
# allauth's window for failed logins per address (ACCOUNT_LOGIN_ATTEMPTS_TIMEOUT's default).
LOGIN_LOCKOUT_SECONDS = 300


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        if settings.OPEN_SIGNUP:
            return True
        from . import services

        token = request.session.get(INVITATION_SESSION_KEY)
        invitation = services.find_invitation(token) if token else None
        return invitation is not None and invitation.is_usable

    def save_user(self, request, user, form, commit=True):
        """Signing up from an invitation link to the invited address joins the organization."""
        from . import services

        user = super().save_user(request, user, form, commit=commit)
        token = request.session.get(INVITATION_SESSION_KEY)
        invitation = services.find_invitation(token) if commit and token else None
        if (
            invitation is not None
            and invitation.is_usable
            and invitation.email.lower() == user.email.lower()
        ):
            services.accept_invitation(invitation=invitation, user=user)
            request.session.pop(INVITATION_SESSION_KEY, None)
        return user


def mark_email_verified(user):
    """For accounts an operator or the demo creates: the address is vouched for."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


class LoginView(allauth_views.LoginView):
    """allauth's login, answering 429 (with Retry-After) once repeated failures lock it, as the
    API's throttle does, instead of a 200 page with an error."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        codes = {error.code for errors in form.errors.as_data().values() for error in errors}
        if "too_many_login_attempts" in codes:
            response.status_code = 429
            response["Retry-After"] = str(LOGIN_LOCKOUT_SECONDS)
        return response
