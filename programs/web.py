"""What program-scoped pages share: the decorator that fetches the program a URL names."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from mentorship.permissions import has_perm

from . import queries


def program_permission_required(perm: str | None = None):
    """For pages under ``/programs/<program_slug>/``; the view finds the program in
    ``request.program``. Reads (a GET of a ``view_programs`` page, or of one without ``perm``:
    any member who sees the program): the program first — 404 when this member may not see
    it, so its existence stays private — then the role (403). Writes: the role first (403,
    whatever the program), then the program."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, program_slug, **kwargs):
            allowed = perm is None or has_perm(request.membership, perm)
            reading = perm in (None, "view_programs") and request.method in ("GET", "HEAD")
            if not allowed and not reading:
                raise PermissionDenied  # writing is for admins, whatever the program
            request.program = queries.get_program_for_member(request, program_slug)
            if not allowed:
                raise PermissionDenied
            return view(request, *args, program_slug=program_slug, **kwargs)

        return wrapper

    return decorator
