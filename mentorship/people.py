"""How the people of an organization see one another: job title, department, bio and photo
(fields of ``Membership``), the initials avatar shown without a photo, and the photo's
processing (decoded, checked, re-encoded on the server).

Pages and the API show a person through their *card*: the ``Membership`` of that person in the
organization being viewed, never one of another organization. ``attach_cards`` loads the cards
of many people at once (one query), for any objects that carry a ``user_id``.
"""

import hashlib
import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import Membership

PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_SIZE = 256  # pixels, square
# A small file may still decode to a huge bitmap; refuse beyond this many pixels (~50 MP).
PHOTO_MAX_PIXELS = 50_000_000
PHOTO_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
PHOTO_ACCEPT = "image/jpeg,image/png,image/gif,image/webp"
AVATAR_COLOURS = 8  # .avatar-c0 … .avatar-c7 in people.css

NOT_AN_IMAGE = "This file is not an image we can read. Upload a JPEG, PNG, GIF or WebP photo."


def photo_too_large_message():
    return f"The photo is larger than {PHOTO_MAX_BYTES // (1024 * 1024)} MB; upload a smaller one."


def process_photo(upload) -> ContentFile:
    """The uploaded file as a 256×256 JPEG (centre-cropped, turned upright), or a
    ValidationError on ``photo``. Only what the decoder reads counts, never the file's name or
    declared type; re-encoding drops every metadata block (location, camera, comments)."""
    size = getattr(upload, "size", None)
    if size is not None and size > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": photo_too_large_message()}, code="file_size")
    data = upload.read(PHOTO_MAX_BYTES + 1)
    if len(data) > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": photo_too_large_message()}, code="file_size")
    if not data:
        raise ValidationError({"photo": "The file is empty."}, code="empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only these decoders are tried: no exotic format's parser sees the bytes.
            with Image.open(io.BytesIO(data), formats=list(PHOTO_FORMATS)) as image:
                width, height = image.size
                if width * height > PHOTO_MAX_PIXELS:
                    raise ValidationError(
                        {"photo": "The photo has too many pixels; upload a smaller one."},
                        code="invalid_image",
                    )
                image.seek(0)  # an animation: its first frame
                image.load()
                picture = ImageOps.exif_transpose(image)
                picture = _flatten(picture)
                picture = ImageOps.fit(
                    picture, (PHOTO_SIZE, PHOTO_SIZE), method=Image.Resampling.LANCZOS
                )
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        TypeError,
        IndexError,
        KeyError,
        ZeroDivisionError,
    ):
        # Pillow reports a broken or hostile file through any of these.
        raise ValidationError({"photo": NOT_AN_IMAGE}, code="invalid_image") from None
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name="photo.jpg")


def _flatten(image):
    """RGB, with any transparency laid on white (JPEG has no alpha)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def initials(name: str) -> str:
    """ "Ada Lovelace" → "AL", "grace" → "G", "ada@example.com" → "A"."""
    words = (name or "").split("@")[0].replace(".", " ").replace("_", " ").split()
    letters = [w[0] for w in words if w[0].isalnum()]
    if not letters:
        return "?"
    return (letters[0] + (letters[-1] if len(letters) > 1 else "")).upper()


def avatar_colour(key) -> int:
    """A stable colour (0–7) for a person: the same on every page and every day."""
    digest = hashlib.sha256(str(key).encode()).digest()
    return digest[0] % AVATAR_COLOURS


def attach_cards(people, organization, *, attr="card"):
    """Set ``person.<attr>`` to that person's membership in ``organization`` (None for someone
    without an account there, e.g. an invited participant), for every object in ``people``
    that has a ``user_id``; one query. Returns ``people``."""
    people = [p for p in people if p is not None]
    ids = {p.user_id for p in people if getattr(p, "user_id", None)}
    cards = {}
    if ids:
        cards = {
            m.user_id: m
            for m in Membership.objects.filter(organization=organization, user_id__in=ids)
        }
        for card in cards.values():
            card.organization = organization  # for photo URLs, without a query each
    for p in people:
        setattr(p, attr, cards.get(getattr(p, "user_id", None)))
    return people


def card_of(person, organization):
    """One person's card (the cached one when ``attach_cards`` ran)."""
    if not hasattr(person, "card"):
        attach_cards([person], organization)
    return person.card
