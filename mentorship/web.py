"""What every page view shares: role checks, a service's errors on a form, and reporting a
service call's outcome."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError

from .permissions import has_perm


def org_permission_required(perm):
    """The tenant middleware already 404s non-members; this 403s members whose role may not."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_perm(request.membership, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def form_errors(form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form, by field where it names one."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def status_for(form) -> int:
    """400 for a posted form with errors (htmx swaps it in, see base.html), else 200."""
    return 400 if form.is_bound and form.errors else 200


def first_error(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def run_service(request, call, *, success: str) -> bool:
    """Run a service call for a form post; report success or its ValidationError as a message."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, first_error(exc))
        return False
    messages.success(request, success)
    return True
