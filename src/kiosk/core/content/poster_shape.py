"""A staff poster made for the other shape of screen: what `kiosk check` says of it, for a
picture (kiosk.core.content.loader, its decoded size) and a clip (kiosk.ui.video.probe, its probed
size) alike. No Qt: sizes only."""

from __future__ import annotations

# The room a full-screen poster has above the attract band, at 1080p (docs/content-format.md).
STAGE_LANDSCAPE = (1920, 904)
STAGE_PORTRAIT = (1080, 1620)
# A poster filling the screen may lose at most this share of itself to the edges, 3/4; one
# thinner is fitted whole instead (kiosk.ui.resources draws it so).
FILL_MOST = 4


def shape_problem(name: str, size: tuple[int, int], portrait_screen: bool, fill: bool,
                  variant: str) -> tuple[str, dict[str, str]] | None:
    """The warning's code and arguments for a poster `name` of `size` shown on a portrait
    (or landscape) screen, `fill` or whole, whose other version would be named `variant`;
    None when its shape suits the screen. Set to fill, it says how much stays on the screen
    (a landscape poster on a portrait screen keeps the middle of its width), unless so much
    would be cut that the kiosk shows it whole, with margins, instead."""
    width, height = size
    if width <= 0 or height <= 0 or width == height or (height > width) == portrait_screen:
        return None
    code = "poster_landscape_on_portrait" if portrait_screen else "poster_portrait_on_landscape"
    args = {"value": name, "size": f"{width}×{height}", "variant": variant}
    if fill:
        stage_width, stage_height = STAGE_PORTRAIT if portrait_screen else STAGE_LANDSCAPE
        scale = max(stage_width / width, stage_height / height)
        covering = width * scale * height * scale
        if covering <= FILL_MOST * stage_width * stage_height:
            shown = min(stage_width / (width * scale), stage_height / (height * scale))
            code += "_cut"
            args["share"] = str(round(shown * 100))
    return code, args
