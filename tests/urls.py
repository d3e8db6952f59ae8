"""URLs of a program's pages and API, for the apps' tests."""

from django.urls import reverse


def program_urls(namespace):
    """``url(name, program, **kwargs)``: the URL named ``<namespace>:<name>`` of ``program``
    (its organization's slug and its own filled in), e.g. ``program_urls("matching")``."""

    def url(name, program, **kwargs):
        return reverse(
            f"{namespace}:{name}",
            kwargs={"org_slug": program.organization.slug, "program_slug": program.slug, **kwargs},
        )

    return url
