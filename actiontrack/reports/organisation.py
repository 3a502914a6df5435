"""The organisation's name, logo and committee-paper template: read by every board report, written by an
administrator (one row). The logo is re-encoded as a PNG of at most LOGO_PX pixels a side, so a report never
carries a camera's 20 MB photograph or an image's hidden metadata; the template must be a Word document that
python-docx opens, since the report is built on it."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actiontrack.core.choices import EntityType
from actiontrack.core.journal import Actor, record
from actiontrack.domain.text import normalise
from actiontrack.people.permissions import require_administrator

from .models import Organisation

LOGO_UPLOAD_MAX = 5 * 1024 * 1024  # bytes of the uploaded image
LOGO_PX = 800  # the longest side kept: a logo on an A4 page is a few centimetres wide
TEMPLATE_MAX = 10 * 1024 * 1024
NAME_MAX = Organisation._meta.get_field("name").max_length
ALT_MAX = Organisation._meta.get_field("logo_alt").max_length


@dataclass(frozen=True)
class Branding:
    """What a report needs from the organisation's settings."""

    name: str
    logo: bytes | None  # PNG
    logo_alt: str
    template: bytes | None  # the committee-paper template (.docx)
    template_name: str


def organisation() -> Organisation:
    return Organisation.objects.get_or_create(pk=1)[0]


def branding() -> Branding:
    org = Organisation.objects.filter(pk=1).first()
    if org is None:
        return Branding("", None, "", None, "")
    return Branding(org.name, bytes(org.logo) if org.logo else None, org.logo_alt,
                    bytes(org.docx_template) if org.docx_template else None, org.template_name)


def _read(upload, limit: int, what: str, field: str) -> bytes:
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError({field: f"The {what} is larger than {limit // (1024 * 1024)} MB: choose a smaller file."})
    if not data:
        raise ValidationError({field: f"The {what} is empty."})
    return data


def logo_png(upload) -> bytes:
    """The uploaded image as a PNG no larger than LOGO_PX a side; a clear refusal for anything else."""
    from PIL import Image, UnidentifiedImageError

    data = _read(upload, LOGO_UPLOAD_MAX, "logo", "logo")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ("PNG", "JPEG"):
                raise ValidationError({"logo": f"The logo is a {image.format} image: upload a PNG or JPEG."})
            if image.width * image.height > 40_000_000:
                raise ValidationError({"logo": f"The logo is {image.width:,} × {image.height:,} pixels: upload one "
                                               "of at most 40 megapixels."})
            image.load()
            image.thumbnail((LOGO_PX, LOGO_PX))
            if image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA")
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError({"logo": "The logo could not be read as an image: upload a PNG or JPEG."}) from None


def template_docx(upload) -> bytes:
    """The uploaded committee-paper template, if python-docx opens it as a Word document."""
    from docx import Document

    from actiontrack.interchange.importing.safety import ImportRefused, check_zip

    name = upload.name or "template.docx"
    if not name.lower().endswith(".docx"):
        raise ValidationError({"template": f"{name!r} is not a Word document (.docx). Open the template in Word "
                                           "and save it as a Word Document (.docx)."})
    data = _read(upload, TEMPLATE_MAX, "template", "template")
    try:
        check_zip(io.BytesIO(data), name)
        Document(io.BytesIO(data))
    except ImportRefused as exc:
        raise ValidationError({"template": f"{exc} Open the template in Word and save it as a Word Document "
                                           "(.docx)."}) from None
    except Exception:  # noqa: BLE001 - an uploaded file may break python-docx in any way: refuse it
        raise ValidationError({"template": f"{name!r} could not be opened as a Word document. Open it in Word and "
                                           "save it as a Word Document (.docx)."}) from None
    return data


def _clean(text: str, limit: int, what: str, field: str) -> str:
    text = " ".join(normalise(text or "").split())
    if len(text) > limit:
        raise ValidationError({field: f"{what} is {len(text):,} characters long; keep it to {limit} or fewer."})
    return text


@transaction.atomic
def organisation_update(*, actor: Actor, name: str, logo_alt: str, logo=None, remove_logo: bool = False,
                        template=None, remove_template: bool = False, today) -> Organisation:
    """Set the organisation's name, logo (with its alt text) and committee-paper template. A logo needs alt text
    saying what it shows; nothing is saved unless all of it is right."""
    require_administrator(actor, "set the organisation's name, logo and report template")
    org = Organisation.objects.select_for_update().get_or_create(pk=1)[0]
    name = _clean(name, NAME_MAX, "The name", "name")
    logo_alt = _clean(logo_alt, ALT_MAX, "The logo's text", "logo_alt")
    png = logo_png(logo) if logo is not None else None
    docx = template_docx(template) if template is not None else None
    keeps_logo = png is not None or (bool(org.logo) and not remove_logo)
    if keeps_logo and not logo_alt:
        raise ValidationError({"logo_alt": "Say what the logo shows, for people who cannot see it (for example, "
                                           "“Essex County Fire and Rescue Service logo”)."})
    changed = {}
    if name != org.name:
        changed["name"] = name
    if png is not None or (remove_logo and org.logo):
        org.logo = png
        changed["logo"] = hashlib.sha256(png).hexdigest() if png else None
    if logo_alt != org.logo_alt:
        changed["logo_alt"] = logo_alt
    if docx is not None:
        org.docx_template, org.template_name = docx, template.name
        org.template_sha256 = hashlib.sha256(docx).hexdigest()
        changed["template"] = {"name": template.name, "sha256": org.template_sha256}
    elif remove_template and org.docx_template:
        org.docx_template, org.template_name, org.template_sha256 = None, "", ""
        changed["template"] = None
    org.name, org.logo_alt = name, logo_alt
    if changed:
        org.updated_at = timezone.now()
        org.save()
        record(actor=actor, plan=None, entity_type=EntityType.ORGANISATION, entity_id=org.pk, field="settings",
               old=None, new=changed, effective_on=today, reason="Organisation's name, logo or report template set.")
    return org
