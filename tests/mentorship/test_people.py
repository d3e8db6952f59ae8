"""How an organization's people see one another: job title, department, bio and photo on the
member's own profile page, kept per organization, the photo checked, re-encoded and served only
to the organization's members."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from PIL import Image

from mentorship import people, services
from mentorship.models import AuditLogEntry, Membership
from tests.factories import MembershipFactory, UserFactory, image_upload

pytestmark = pytest.mark.django_db

CARD = {"job_title": "Data engineer", "department": "Platform team", "bio": "I like maps."}


def card_url(org):
    return reverse("org:my-card", kwargs={"org_slug": org.slug})


def membership_of(user, org):
    with scopes_disabled():
        return Membership.objects.select_related("organization").get(user=user, organization=org)


def state(user, org):
    m = membership_of(user, org)
    return (m.job_title, m.department, m.bio, m.photo.name)


def audit_count(org):
    with scopes_disabled():
        return AuditLogEntry.objects.filter(organization=org).count()


def jpeg_with_exif():
    """A JPEG carrying a camera make and a GPS block, as phones write them."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (48.0, 51.0, 24.0)}  # GPSInfo: latitude
    return image_upload("JPEG", size=(600, 400), exif=exif.tobytes())


# --- Saving ---------------------------------------------------------------------------------------


def test_the_fields_save_for_this_organization_only(client, cast):
    # The member also belongs to org B: each organization has its own card.
    MembershipFactory(organization=cast.org_b, user=cast.mentee1)
    client.force_login(cast.mentee1)
    response = client.post(card_url(cast.org_a), CARD)
    assert response.status_code == 302
    assert response["Location"] == reverse("profile") + "#card-org-a"
    assert state(cast.mentee1, cast.org_a) == ("Data engineer", "Platform team", "I like maps.", "")
    assert state(cast.mentee1, cast.org_b) == ("", "", "", "")
    with scopes_disabled():
        entry = AuditLogEntry.objects.get(organization=cast.org_a, action="member.card_updated")
    assert entry.actor == cast.mentee1
    assert entry.data == {"changed": ["job_title", "department", "bio"]}
    # The profile page shows one card per organization, each with what was saved.
    page = client.get(reverse("profile")).content.decode()
    assert 'id="card-org-a"' in page and 'id="card-org-b"' in page
    assert "How people in Org A see you" in page and 'value="Data engineer"' in page
    assert 'id="id_org-a_bio"' in page and 'id="id_org-b_bio"' in page  # ids of their own


def test_saving_the_same_again_changes_nothing_and_audits_nothing(client, cast):
    client.force_login(cast.mentee1)
    client.post(card_url(cast.org_a), CARD)
    before = audit_count(cast.org_a)
    assert client.post(card_url(cast.org_a), CARD).status_code == 302
    assert audit_count(cast.org_a) == before


def test_lengths_come_from_the_model(client, cast):
    limit = Membership._meta.get_field("bio").max_length
    assert limit == 500
    client.force_login(cast.mentee1)
    page = client.get(reverse("profile")).content.decode()
    assert f'maxlength="{limit}"' in page
    assert re.search(r'<input[^>]*maxlength="100"[^>]*id="id_org-a_job_title"', page)
    response = client.post(card_url(cast.org_a), {**CARD, "bio": "x" * (limit + 1)})
    assert response.status_code == 400
    assert f"at most {limit} characters" in response.content.decode()
    assert state(cast.mentee1, cast.org_a) == ("", "", "", "")


def test_text_is_escaped_where_it_is_shown(client, cast):
    client.force_login(cast.mentee1)
    client.post(card_url(cast.org_a), {**CARD, "bio": "<script>alert(1)</script>"})
    page = client.get(reverse("profile")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_service_refuses_what_the_columns_would(cast):
    m = membership_of(cast.mentee1, cast.org_a)
    with scope(organization=cast.org_a), pytest.raises(Exception, match="at most 100"):
        services.update_member_card(membership=m, actor=cast.mentee1, job_title="x" * 101)
    assert state(cast.mentee1, cast.org_a) == ("", "", "", "")


# --- Photos ---------------------------------------------------------------------------------------


def test_a_photo_is_re_encoded_square_and_without_metadata(client, cast):
    client.force_login(cast.mentee1)
    response = client.post(card_url(cast.org_a), {**CARD, "photo": jpeg_with_exif()})
    assert response.status_code == 302
    m = membership_of(cast.mentee1, cast.org_a)
    assert m.photo.name.startswith(f"member-photos/{cast.org_a.pk}/")
    assert m.photo.name.endswith(".jpg") and "photo" not in m.photo.name.rsplit("/", 1)[1]
    with m.photo.open("rb") as f:
        stored = Image.open(io.BytesIO(f.read()))
        assert stored.format == "JPEG" and stored.size == (256, 256)
        assert not stored.getexif() and "exif" not in stored.info
    # It is served to a member of the organization, as the JPEG stored.
    client.force_login(cast.mentor1)
    photo = client.get(m.photo_url)
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert photo["Cache-Control"] == "private, max-age=31536000, immutable"
    with m.photo.open("rb") as f:
        assert photo.content == f.read()


@pytest.mark.parametrize(
    ("fmt", "extra"), [("PNG", {}), ("GIF", {}), ("WEBP", {}), ("PNG", {"transparent": True})]
)
def test_other_image_types_are_accepted(client, cast, fmt, extra):
    if extra.get("transparent"):
        out = io.BytesIO()
        Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(out, format="PNG")
        upload = SimpleUploadedFile("clear.png", out.getvalue(), "image/png")
    else:
        upload = image_upload(fmt)
    client.force_login(cast.mentee1)
    assert client.post(card_url(cast.org_a), {"photo": upload}).status_code == 302
    assert membership_of(cast.mentee1, cast.org_a).photo


def not_an_image():
    # Named and typed as a photo, but its bytes are not one: the decoder decides.
    return SimpleUploadedFile("me.jpg", b"<?php echo 'hello'; ?>" * 10, "image/jpeg")


def truncated_png():
    data = image_upload("PNG", size=(300, 300)).read()
    return SimpleUploadedFile("cut.png", data[: len(data) // 2], "image/png")


def svg():
    return SimpleUploadedFile(
        "me.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "image/svg+xml"
    )


def oversize():
    # A real image, padded past the limit (a PNG's decoder ignores what follows its end).
    data = image_upload("PNG").read() + b"\0" * people.PHOTO_MAX_BYTES
    return SimpleUploadedFile("big.png", data, "image/png")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (not_an_image, "This file is not an image we can read"),
        (truncated_png, "This file is not an image we can read"),
        (svg, "This file is not an image we can read"),
        (oversize, "The photo is larger than 2 MB"),
    ],
    ids=["not-an-image", "truncated", "svg", "oversize"],
)
def test_a_refused_upload_is_a_clear_400_and_changes_nothing(client, cast, make, message):
    client.force_login(cast.mentee1)
    client.post(card_url(cast.org_a), {"photo": image_upload()})
    before, audited = state(cast.mentee1, cast.org_a), audit_count(cast.org_a)
    response = client.post(card_url(cast.org_a), {**CARD, "photo": make()})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    # The form comes back with what was typed, and nothing was saved: not the text either.
    assert 'value="Data engineer"' in html
    assert state(cast.mentee1, cast.org_a) == before
    assert audit_count(cast.org_a) == audited


def test_a_huge_bitmap_in_a_small_file_is_refused(cast):
    out = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(out, format="PNG")  # 60 MP, a few kB
    upload = SimpleUploadedFile("bomb.png", out.getvalue(), "image/png")
    assert upload.size < people.PHOTO_MAX_BYTES
    with pytest.raises(Exception, match="too many pixels"):
        people.process_photo(upload)


def test_replacing_and_removing_a_photo(client, cast, django_capture_on_commit_callbacks):
    client.force_login(cast.mentee1)
    client.post(card_url(cast.org_a), {"photo": image_upload()})
    first = membership_of(cast.mentee1, cast.org_a)
    storage = first.photo.storage
    with django_capture_on_commit_callbacks(execute=True):
        client.post(card_url(cast.org_a), {"photo": image_upload(colour=(0, 90, 0))})
    second = membership_of(cast.mentee1, cast.org_a)
    assert second.photo_version != first.photo_version
    assert not storage.exists(first.photo.name) and storage.exists(second.photo.name)
    # The old URL is gone with the old photo.
    assert client.get(first.photo_url).status_code == 404
    # "Remove photo" is on the profile page, and removes it.
    page = client.get(reverse("profile")).content.decode()
    assert "Remove photo" in page and second.photo_url in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(card_url(cast.org_a), {"remove_photo": "1"})
    assert response.status_code == 302
    assert membership_of(cast.mentee1, cast.org_a).photo.name == ""
    assert not storage.exists(second.photo.name)
    assert client.get(second.photo_url).status_code == 404
    page = client.get(reverse("profile")).content.decode()
    assert "Remove photo" not in page


def test_the_photo_is_only_for_members_of_the_organization(client, cast):
    client.force_login(cast.mentee1)
    client.post(card_url(cast.org_a), {"photo": image_upload()})
    url = membership_of(cast.mentee1, cast.org_a).photo_url
    # Anonymous: sent to sign in, no image.
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    # A member of another organization: not found, like an organization that doesn't exist.
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    # Another organization's URL for the same member id: not found either.
    MembershipFactory(organization=cast.org_b, user=cast.mentee1)
    m = membership_of(cast.mentee1, cast.org_a)
    other = reverse(
        "org:member-photo",
        kwargs={"org_slug": cast.org_b.slug, "pk": m.pk, "version": m.photo_version},
    )
    assert client.get(other).status_code == 404
    # A guessed version is not found, even for a member.
    client.force_login(cast.mentor1)
    guessed = url.replace(m.photo_version, "x" * len(m.photo_version))
    assert client.get(guessed).status_code == 404
    assert client.get(url).status_code == 200


# --- Initials avatar ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Ada Lovelace", "AL"), ("grace", "G"), ("Jean-Luc de Picard", "JP"), ("", "?")],
)
def test_initials(name, expected):
    assert people.initials(name) == expected


def test_without_a_photo_the_avatar_is_initials_in_a_stable_colour(client, cast):
    with scopes_disabled():
        cast.mentee1.name = "Mia Mentee"
        cast.mentee1.save()
    client.force_login(cast.mentee1)
    page = client.get(reverse("profile")).content.decode()
    colour = people.avatar_colour(cast.mentee1.pk)
    assert f'<span class="avatar avatar-lg avatar-c{colour}" aria-hidden="true">MM</span>' in page
    assert colour == people.avatar_colour(cast.mentee1.pk)
    assert {people.avatar_colour(i) for i in range(100)} == set(range(people.AVATAR_COLOURS))


# --- API ------------------------------------------------------------------------------------------


def test_api_me_in_an_organization(api_client, cast):
    api_client.force_authenticate(cast.mentee1)
    url = f"/api/v1/orgs/{cast.org_a.slug}/me/"
    m = membership_of(cast.mentee1, cast.org_a)
    assert api_client.get(url).json() == {
        "id": m.pk,
        "role": "member",
        "job_title": "",
        "department": "",
        "bio": "",
        "photo_url": None,
    }
    response = api_client.patch(url, {"job_title": " Data engineer ", "role": "admin"})
    assert response.status_code == 200
    assert response.json()["job_title"] == "Data engineer"
    assert response.json()["role"] == "member"  # read-only
    assert state(cast.mentee1, cast.org_a)[0] == "Data engineer"
    # Too long: 400 on the field, nothing saved.
    response = api_client.patch(url, {"bio": "x" * 501})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "bio"
    assert state(cast.mentee1, cast.org_a)[2] == ""
    # Another organization: not found.
    assert api_client.get(f"/api/v1/orgs/{cast.org_b.slug}/me/").status_code == 404


def test_api_members_show_the_card(api_client, cast):
    with scope(organization=cast.org_a):
        services.update_member_card(
            membership=membership_of(cast.mentee1, cast.org_a),
            actor=cast.mentee1,
            photo=image_upload(),
            **CARD,
        )
    m = membership_of(cast.mentee1, cast.org_a)
    api_client.force_authenticate(cast.admin)
    body = api_client.get(f"/api/v1/orgs/{cast.org_a.slug}/members/{m.pk}/").json()
    assert {k: body[k] for k in ("job_title", "department", "bio")} == CARD
    assert body["photo_url"] == f"http://testserver{m.photo_url}"
    # An admin can't edit someone else's card: those fields are read-only there.
    api_client.patch(f"/api/v1/orgs/{cast.org_a.slug}/members/{m.pk}/", {"bio": "Changed"})
    assert state(cast.mentee1, cast.org_a)[2] == "I like maps."


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response.json()["results"]


def test_members_list_loads_cards_without_a_query_each(api_client, cast):
    api_client.force_authenticate(cast.admin)
    url = f"/api/v1/orgs/{cast.org_a.slug}/members/"

    def with_photos():
        with scopes_disabled():
            for m in Membership.objects.filter(organization=cast.org_a, photo=""):
                m.photo = f"member-photos/{cast.org_a.pk}/x{m.pk}.jpg"
                m.save()

    with_photos()
    few, rows = _queries(api_client, url)
    assert len(rows) == 6 and all(row["photo_url"] for row in rows)
    for n in range(8):
        MembershipFactory(organization=cast.org_a, user=UserFactory(email=f"more{n}@a.example"))
    with_photos()
    many, rows = _queries(api_client, url)
    assert len(rows) == 14 and all(row["photo_url"] for row in rows)
    assert many == few
