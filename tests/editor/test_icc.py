"""A photo's colour profile is read before lcms is given it (kiosk.editor.icc): a v4 profile
whose stage list is hundreds of thousands long held the editor's one decoding slot for more
than 15 minutes; a camera's or a display's profile is converted as before."""

from __future__ import annotations

import io
import struct
from typing import Any

import pytest
from PIL import Image, ImageCms

from kiosk.editor.icc import MOST_PROFILE_BYTES, profile_problem
from kiosk.editor.photos import PROFILE_NOT_APPLIED, prepare_photo

NOT_APPLIED = PROFILE_NOT_APPLIED


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def stage_list_profile(stages: int) -> bytes:
    """An ICC v4 display profile whose D2B0 tag is a multi-process-element list of `stages`
    entries, all pointing at one 3×3 matrix: 8 bytes a stage, each a full pass for lcms."""
    matrix = (b"matf" + bytes(4) + struct.pack(">HH", 3, 3)
              + struct.pack(">9f", 1, 0, 0, 0, 1, 0, 0, 0, 1) + struct.pack(">3f", 0, 0, 0))
    head = b"mpet" + bytes(4) + struct.pack(">HHI", 3, 3, stages)
    d2b0 = head + struct.pack(">II", len(head) + 8 * stages, len(matrix)) * stages + matrix
    white = b"XYZ " + bytes(4) + struct.pack(">3i", 63190, 65536, 54061)
    tags = [(b"D2B0", d2b0), (b"wtpt", white)]
    offset, table, body = 128 + 4 + 12 * len(tags), b"", b""
    for signature, data in tags:
        body += bytes(-(offset + len(body)) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = (struct.pack(">I", offset + len(body)) + b"lcms" + struct.pack(">I", 0x04300000)
              + b"mntrRGB XYZ " + bytes(12) + b"acsp").ljust(128, b"\0")
    return header + struct.pack(">I", len(tags)) + table + body


def photo_with(profile: bytes, kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 100, 50)).save(out, kind, icc_profile=profile)
    return out.getvalue()


def test_a_camera_s_or_a_display_s_profile_may_be_given_to_lcms() -> None:
    assert profile_problem(srgb_profile()) == ""


@pytest.mark.parametrize(("profile", "said"), [
    (stage_list_profile(20_000), "of type b'mpet'"),
    (bytes(MOST_PROFILE_BYTES + 1), "bytes"),
    (srgb_profile()[:100], "not a colour profile"),
    (srgb_profile()[:140], "cut short"),
])
def test_a_profile_lcms_would_run_for_minutes_or_that_lies_is_not_given_to_it(
        profile: bytes, said: str) -> None:
    assert said in profile_problem(profile)


def test_a_tag_pointing_outside_the_profile_is_refused() -> None:
    profile = bytearray(srgb_profile())
    struct.pack_into(">I", profile, 128 + 4 + 4, len(profile))  # the first tag's offset
    assert "outside the profile" in profile_problem(bytes(profile))


@pytest.mark.parametrize("kind", ["JPEG", "WEBP"])
def test_an_upload_with_a_stage_list_profile_is_taken_with_its_colours_as_they_are(
        kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """20,000 stages took 11 s of the decoding slot (490,000: over 15 minutes; four such
    uploads kept sign-in waiting 17 s). lcms is never asked; staff are told in the notes."""
    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("lcms was given the profile")

    monkeypatch.setattr(ImageCms, "profileToProfile", never)
    photo = prepare_photo(photo_with(stage_list_profile(20_000), kind), f"x.{kind.lower()}")
    assert NOT_APPLIED in photo.notes
    assert (photo.width, photo.height) == (640, 480)


def test_an_upload_with_an_ordinary_profile_is_still_converted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[object] = []
    convert = ImageCms.profileToProfile

    def counted(*args: Any, **kwargs: Any) -> object:
        asked.append(args)
        return convert(*args, **kwargs)

    monkeypatch.setattr(ImageCms, "profileToProfile", counted)
    photo = prepare_photo(photo_with(srgb_profile(), "JPEG"), "x.jpg")
    assert asked and NOT_APPLIED not in photo.notes
