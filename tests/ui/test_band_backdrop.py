"""The attract band keeps only the ripple's box of what does not move (a frame of the ripple
copies it and draws the ring), not a copy of the whole band: 1.3 MB less at 1080p. A frame of
the ripple looks exactly as the same moment painted whole."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage, QPixmap, QRegion
from pytestqt.qtbot import QtBot

from kiosk.ui.attract.band import AttractBand
from tests.ui.conftest import WindowFactory, settle


def ripple_frame(band: AttractBand) -> QImage:
    """The band's ripple box as a frame of the ripple paints it (only that box updated)."""
    box = band._ripple_rect()
    target = QPixmap(box.size())
    target.fill()
    band.render(target, QPoint(), QRegion(box))
    return target.toImage()


@pytest.mark.parametrize("phase", [0.0, 0.3, 0.77])
def test_a_ripple_frame_is_the_whole_band_painted_at_that_moment(
        make_window: WindowFactory, qtbot: QtBot, phase: float) -> None:
    window = make_window()
    window.attract.stop()
    settle(qtbot)
    band = window.attract.band
    band.phase = phase
    whole = band.grab().toImage()
    frame = ripple_frame(band)
    box = band._ripple_rect()
    assert frame.convertToFormat(whole.format()) == whole.copy(box)
    # What it keeps between frames: the ripple's box, not the whole band.
    kept = band._backdrop
    assert kept.width() * kept.height() <= box.width() * box.height()
    assert kept.width() * kept.height() * 4 < band.width() * band.height()


def test_new_words_reach_the_ripple_box_kept(make_window: WindowFactory,
                                             qtbot: QtBot) -> None:
    window = make_window()
    window.attract.stop()
    settle(qtbot)
    band = window.attract.band
    ripple_frame(band)
    band.set_texts("en", band.centre, band.time_text, band.dates)
    settle(qtbot)
    box = band._ripple_rect()  # the English invitation moves the ring
    assert ripple_frame(band).convertToFormat(QImage.Format.Format_RGB32) == \
        band.grab().toImage().convertToFormat(QImage.Format.Format_RGB32).copy(box)
