"""What a photo's colour profile would ask of lcms, told before lcms is given it.

lcms builds a transform by running the profile's pipeline at every point of a grid. A v4
profile's multi-process-element tag (`mpet`, in D2Bx and B2Dx) is a list of stages of any
length: 20,000 copies of one 28-byte matrix (160 KB) held the editor's one decoding slot for
11 s, and 490,000 of them (3.9 MB) for more than 15 minutes. Every other tag type lcms reads is
one stage or a fixed few (curves, matrices, LUTs), whose cost grows with their bytes only.

Read here without decoding anything: the header's size, the tag table (bounded) and each
tag's type. A profile this refuses is not applied: the photo's colours are taken as they are,
and staff are told so in the photo's notes.
"""

from __future__ import annotations

import struct

# Camera and display profiles (sRGB, Display P3, Adobe RGB) are 0.5–4 KB; a printer's LUT
# profile may be a few hundred. Beyond this a photo's profile is not converted.
MOST_PROFILE_BYTES = 1_000_000
MOST_TAGS = 256
HEADER_BYTES = 128
# Tag types whose stages are a list of any length (ICC.1:2010, 10.14).
UNBOUNDED_TYPES = frozenset((b"mpet",))


def profile_problem(icc: bytes) -> str:
    """Why `icc` is not to be given to lcms, in a few English words; "" when it may be."""
    if len(icc) > MOST_PROFILE_BYTES:
        return f"{len(icc)} bytes"
    if len(icc) < HEADER_BYTES + 4 or icc[36:40] != b"acsp":
        return "not a colour profile"
    declared = struct.unpack_from(">I", icc, 0)[0]
    if declared > len(icc):
        return "cut short"
    count = struct.unpack_from(">I", icc, HEADER_BYTES)[0]
    if count > MOST_TAGS or HEADER_BYTES + 4 + 12 * count > len(icc):
        return f"{count} tags"
    for index in range(count):
        signature, offset, size = struct.unpack_from(">4sII", icc, HEADER_BYTES + 4 + 12 * index)
        if size < 8 or offset + size > len(icc):
            return f"tag {signature!r} outside the profile"
        if icc[offset:offset + 4] in UNBOUNDED_TYPES:
            return f"tag {signature!r} of type {icc[offset:offset + 4]!r}"
    return ""
