"""A colouring picture whose lines have small breaks: one tap floods most of the sheet.
`analyse` names that (`colouring_gaps`) instead of passing it or calling it a photo, and
`flood` says where the breaks are, for the editor's wizard."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kiosk.core.colouring.engine import (
    Canvas,
    EngineSettings,
    analyse,
    close_gaps,
    flood,
    prepare,
    rgb,
)
from kiosk.core.content.problems import MESSAGES, Problem, Severity
from tests.drawings import BREAK, drawing, photographed


def test_a_drawing_with_small_breaks_floods_on_one_tap() -> None:
    picture = prepare(drawing(breaks=BREAK))
    canvas = Canvas(picture)
    box = canvas.fill(500, 800, rgb("#E53935"))  # a tap inside the house…
    assert box is not None
    flooded = float((canvas.paint != 0xFFFFFFFF).mean())
    assert flooded > 0.8  # …colours the sky, the tree and the house at once
    leak = flood(picture)
    assert leak.floods and leak.share > 0.8 and leak.leaked > 0.15
    assert analyse(picture).problem == "colouring_gaps"


def test_the_breaks_are_found_where_they_are() -> None:
    leak = flood(prepare(drawing(breaks=BREAK)))
    # The gaps: the middle of each wall (x 200 and 800, y 675), of the roof's left slope
    # (350, 315) and of the door's top (500, 680).
    wanted = {(200, 675), (800, 675), (350, 315), (500, 680)}
    found = set()
    for x, y, w, h in leak.breaks:
        found |= {spot for spot in wanted
                  if x - 12 <= spot[0] <= x + w + 12 and y - 12 <= spot[1] <= y + h + 12}
    assert found == wanted
    assert len(leak.breaks) <= 6  # and nowhere else


def test_a_photographed_drawing_with_breaks_is_not_called_a_photo() -> None:
    picture = prepare(photographed(drawing(breaks=BREAK)))
    assert analyse(picture).problem == "colouring_gaps"
    # Without breaks it is grey paper, which is a photo's problem, not a flood.
    assert analyse(prepare(photographed(drawing()))).problem == "colouring_photo"


@pytest.mark.parametrize("art", ["closed", "big circle", "small drawing on wide paper",
                                 "gaps the kiosk closes"])
def test_pictures_that_do_not_flood(art: str) -> None:
    if art == "closed":
        lightness = drawing()
    elif art == "gaps the kiosk closes":
        lightness = drawing(breaks=4)
    else:
        lightness = np.full((1000, 1400), 255, dtype=np.uint8)
        if art == "big circle":  # one shape of 60 % of the sheet: a tap fills it, rightly
            cv2.circle(lightness, (700, 500), 480, 0, 6)
        else:
            cv2.rectangle(lightness, (600, 420), (800, 580), 0, 6)
            cv2.line(lightness, (700, 420), (700, 580), 0, 6)
    picture = prepare(lightness)
    assert not flood(picture).floods
    assert analyse(picture).problem == ""


def test_a_wider_gap_setting_closes_the_breaks_and_the_flood_goes() -> None:
    art = drawing(breaks=BREAK)
    settings = EngineSettings(gap_px=32)
    assert flood(prepare(art)).floods
    picture = prepare(art, settings)
    assert not flood(picture, settings).floods
    assert len(picture.regions) == len(prepare(drawing()).regions)  # every shape its own
    assert analyse(picture, settings).problem == ""


def test_close_gaps_is_the_engines_closing() -> None:
    ink = np.zeros((100, 200), dtype=np.uint8)
    ink[:, 50:56] = 1
    ink[:, 62:68] = 1  # a 6-pixel gap between two lines
    assert close_gaps(ink, 1) is ink
    assert close_gaps(ink, 8)[50, 56:62].all()
    assert not close_gaps(ink, 3)[50, 56:62].all()


def test_the_message_names_the_cause_and_the_fix() -> None:
    problem = Problem("colouring/scan.png", None, Severity.WARNING, "colouring_gaps",
                      {"value": "scan.png"})
    ru = problem.message("ru")
    assert "есть разрывы: одно касание закрашивает почти весь лист" in ru
    assert "Замкните контуры" in ru and "толще" in ru and "мастер раскрасок" in ru
    en = problem.message("en")
    assert "one tap colours nearly the whole sheet" in en and "wizard" in en
    assert set(MESSAGES["colouring_gaps"]) == {MESSAGES["colouring_gaps"][0],
                                               MESSAGES["colouring_gaps"][1]}
