"""Pages of the tenancy core: home, organization, members, audit log, invitations, profile,
member photos."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from . import audit, hooks, next_steps, queries, services
from .accounts import INVITATION_SESSION_KEY
from .celery import app as celery_app
from .filters import AuditLogFilter
from .forms import ApiTokenForm, InviteForm, MemberCardForm, ProfileForm, RoleForm
from .models import Invitation, Membership
from .notifications import kinds as notification_kinds
from .notifications import service as notification_service
from .notifications.forms import EmailPreferencesForm
from .permissions import has_perm
from .services import CARD_FIELDS
from .tenancy import get_membership, memberships_of
from .web import first_error, org_permission_required, run_service


def get_membership_for_admin(request, pk):
    return get_object_or_404(
        Membership.objects.select_related("user"), organization=request.organization, pk=pk
    )


def get_invitation_for_admin(request, pk):
    return get_object_or_404(Invitation, organization=request.organization, pk=pk)


# --- Home and organization -----------------------------------------------------------------------


@login_required
def home(request):
    mine = memberships_of(request.user)
    if len(mine) == 1:
        return redirect("org:home", org_slug=mine[0].organization.slug)
    return render(request, "mentorship/home.html", {"memberships": mine})


def org_home(request, org_slug):
    organization = request.organization
    context = {
        "member_count": queries.members(organization).count(),
        "next_steps": next_steps.for_member(request.membership),
    }
    for section in hooks.org_home.send(request=request):
        context.update(section)
    if has_perm(request.membership, "manage_members"):
        context["pending_invitations"] = queries.pending_invitations(organization).count()
    return render(request, "mentorship/org_home.html", context)


# --- Members -------------------------------------------------------------------------------------


@org_permission_required("view_members")
def members(request, org_slug):
    organization = request.organization
    can_manage = has_perm(request.membership, "manage_members")
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                invitation = services.invite_member(
                    organization=organization, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Invitation sent to {invitation.email}.")
                return redirect("org:members", org_slug=org_slug)
    paginator = Paginator(queries.members(organization), 50)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "can_manage": can_manage,
        "invitations": queries.pending_invitations(organization) if can_manage else [],
        "role_choices": RoleForm.base_fields["role"].choices,
    }
    return render(request, "mentorship/members.html", context, status=400 if form.errors else 200)


@require_POST
@org_permission_required("manage_members")
def member_role(request, org_slug, pk):
    membership = get_membership_for_admin(request, pk)
    form = RoleForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.change_role(
                membership=membership, role=form.cleaned_data["role"], actor=request.user
            )
        except ValidationError as exc:
            error = first_error(exc)
    else:
        error = "Choose a valid role."
    if request.htmx:
        membership.refresh_from_db()
        context = {
            "m": membership,
            "can_manage": True,
            "error": error,
            "changed": not error,
            "role_choices": RoleForm.base_fields["role"].choices,
        }
        return render(
            request, "mentorship/partials/_member_row.html", context, status=400 if error else 200
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"{membership.user} is now {membership.get_role_display()}.")
    return redirect("org:members", org_slug=org_slug)


@require_POST
@org_permission_required("manage_members")
def member_remove(request, org_slug, pk):
    membership = get_membership_for_admin(request, pk)
    run_service(
        request,
        lambda: services.remove_member(membership=membership, actor=request.user),
        success=f"{membership.user} was removed from {request.organization}.",
    )
    return redirect("org:members", org_slug=org_slug)


@require_POST
@org_permission_required("manage_members")
def invitation_resend(request, org_slug, pk):
    invitation = get_invitation_for_admin(request, pk)
    run_service(
        request,
        lambda: services.resend_invitation(invitation=invitation, actor=request.user),
        success=f"Invitation sent again to {invitation.email}.",
    )
    return redirect("org:members", org_slug=org_slug)


@require_POST
@org_permission_required("manage_members")
def invitation_revoke(request, org_slug, pk):
    invitation = get_invitation_for_admin(request, pk)
    run_service(
        request,
        lambda: services.revoke_invitation(invitation=invitation, actor=request.user),
        success=f"Invitation for {invitation.email} revoked.",
    )
    return redirect("org:members", org_slug=org_slug)


# --- Audit log -----------------------------------------------------------------------------------


@require_GET
@org_permission_required("view_audit_log")
def audit_log(request, org_slug):
    filterset = AuditLogFilter(
        request.GET, queryset=queries.audit_log(request.organization), request=request
    )
    valid = filterset.is_valid()
    entries = filterset.qs if valid else filterset.queryset.none()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    # Each entry as a sentence; the page's targets load in bulk (a query per kind of target).
    page.object_list = audit.describe_entries(page.object_list, viewer=request.membership)
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "mentorship/audit_log.html",
        {"filter": filterset, "page": page, "querystring": querystring.urlencode()},
        status=200 if valid else 400,
    )


# --- Invitations (the link in the email) ---------------------------------------------------------


def invitation_landing(request, token):
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "mentorship/invitation.html", {"invalid": True}, status=404)
    if not request.user.is_authenticated:
        # Remember the invitation through sign-up; the invited address counts as verified.
        request.session[INVITATION_SESSION_KEY] = token
        if invitation.is_usable:
            get_adapter(request).stash_verified_email(request, invitation.email)
        return render(request, "mentorship/invitation.html", {"invitation": invitation})
    if request.method == "POST":
        try:
            services.accept_invitation(invitation=invitation, user=request.user)
        except ValidationError as exc:
            messages.error(request, first_error(exc))
            return redirect("invitation", token=token)
        request.session.pop(INVITATION_SESSION_KEY, None)
        messages.success(request, f"Welcome to {invitation.organization}!")
        return redirect("org:home", org_slug=invitation.organization.slug)
    if get_membership(invitation.organization, request.user) is not None:
        # E.g. just signed up from this link, which joined them already (AccountAdapter).
        messages.success(request, f"Welcome to {invitation.organization}!")
        return redirect("org:home", org_slug=invitation.organization.slug)
    return render(request, "mentorship/invitation.html", {"invitation": invitation})


# --- Profile and API tokens ----------------------------------------------------------------------


def _profile_page(request, *, form=None, card_form=None, email_form=None, status=200):
    """The profile page: the account (name, time zone), how each organization's people see the
    person (one card per membership), and API tokens. A refused form comes back bound."""
    user = request.user
    form = form or ProfileForm(initial={"name": user.name, "time_zone": user.time_zone})
    cards = []
    for m in memberships_of(user):
        if card_form is not None and m.pk == request.membership.pk:
            cards.append((m, card_form))
        else:
            initial = {f: getattr(m, f) for f in CARD_FIELDS}
            cards.append((m, MemberCardForm(initial=initial, auto_id=_card_ids(m.organization))))
    if email_form is None:
        emailed = sorted(notification_service.emailed_kinds(user))
        email_form = EmailPreferencesForm(initial={"emailed": emailed})
    context = {
        "form": form,
        "cards": cards,
        "email_form": email_form,
        "mandatory_kinds": [k for k in notification_kinds.all_kinds() if k.mandatory],
        "token_form": ApiTokenForm(),
        "tokens": user.api_tokens.filter(revoked_at__isnull=True),
        "new_key": request.session.pop("new_api_key", None),
    }
    return render(request, "mentorship/profile.html", context, status=status)


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(
        request.POST or None, initial={"name": user.name, "time_zone": user.time_zone}
    )
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=user, **form.cleaned_data)
        messages.success(request, "Profile saved.")
        return redirect("profile")
    return _profile_page(request, form=form, status=400 if form.errors else 200)


@require_POST
@login_required
def email_preferences(request):
    """The profile page's "Email me about" form: optional kinds on or off, in one save."""
    form = EmailPreferencesForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, email_form=form, status=400)
    notification_service.set_emailed_kinds(request.user, form.cleaned_data["emailed"])
    messages.success(request, "Email choices saved.")
    return redirect(reverse("profile") + "#email")


def _card_ids(organization):
    """Each organization's card form on the profile page has ids of its own."""
    return f"id_{organization.slug}_%s"


def _card_anchor(organization):
    return reverse("profile") + f"#card-{organization.slug}"


@require_POST
@org_permission_required("view_organization")
def my_card(request, org_slug):
    """Save how this organization's people see the signed-in member (job title, department,
    bio, photo), or remove their photo. Other organizations' cards are not touched."""
    membership, organization = request.membership, request.organization
    if request.POST.get("remove_photo"):
        services.update_member_card(membership=membership, actor=request.user, remove_photo=True)
        messages.success(request, f"Photo removed from {organization}.")
        return redirect(_card_anchor(organization))
    form = MemberCardForm(request.POST, request.FILES, auto_id=_card_ids(organization))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.update_member_card(
                membership=membership,
                actor=request.user,
                photo=data["photo"],
                **{f: data[f] for f in CARD_FIELDS},
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, messages_ in errors.items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            messages.success(request, f"Saved how people in {organization} see you.")
            return redirect(_card_anchor(organization))
    return _profile_page(request, card_form=form, status=400)


@require_GET
@org_permission_required("view_organization")
def member_photo(request, org_slug, pk, version):
    """A member's photo, for members of the same organization only (the tenant middleware
    404s anyone else). The version in the URL must be the current photo's: an old or guessed
    URL is "not found", and a current one may be cached privately for a long time."""
    membership = get_object_or_404(Membership, organization=request.organization, pk=pk)
    if not membership.photo or membership.photo_version != version:
        raise Http404("No such photo.")
    try:
        # A re-encoded 256×256 JPEG: tens of kilobytes, read whole (and the file closed).
        with membership.photo.storage.open(membership.photo.name, "rb") as file:
            body = file.read()
    except FileNotFoundError:
        raise Http404("No such photo.") from None
    response = HttpResponse(body, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    response["Content-Disposition"] = "inline"
    return response


@require_POST
@login_required
def token_create(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the token a name.")
        return redirect("profile")
    _, key = services.create_api_token(user=request.user, **form.cleaned_data)
    # Shown once, on the next page, then forgotten: only its hash is stored.
    request.session["new_api_key"] = key
    return redirect(reverse("profile") + "#tokens")


@require_POST
@login_required
def token_revoke(request, pk):
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    services.revoke_api_token(token=token)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect(reverse("profile") + "#tokens")


# --- Health --------------------------------------------------------------------------------------


@require_GET
def healthz(request):
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def _check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
        return f"error: {type(exc).__name__}"


def _check_broker():
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return f"error: {type(exc).__name__}"
