"""Every screen of the kiosk grabbed at one device pixel ratio, in a process of its own.

    QT_SCALE_FACTOR=1.5 python -m tests.dpr_shots CONTENT OUT WIDTH HEIGHT [REFERENCE] [--full]

A process has one QApplication and one ratio: tests/ui/test_hidpi.py runs this once per ratio
and orientation, on an offscreen screen of WIDTH × HEIGHT logical pixels (its size in device
pixels given to the offscreen plugin, QT_SCALE_FACTOR the ratio, as on a 4K panel). The
screens are walked as `kiosk preview` walks them, and each is grabbed in device pixels.

OUT/<screen>.png is the grab at ratio 1, or scaled down to the logical size (area average).
With REFERENCE (the OUT of the run at ratio 1), OUT/shots.json says for each screen:

- `width`, `height`: the grab's size in device pixels;
- `difference`: the mean difference (0-255, per channel) between the grab scaled down and
  the screen at ratio 1, and `worst_tile` the largest over tiles of 24 logical pixels: a
  screen laid out wrongly, or a picture drawn at the wrong size or place, differs by far more
  than the way type falls on pixels;
- `upscaled`: the share of the tiles with detail (48 logical pixels square) that look scaled
  up from logical pixels rather than painted in device pixels: next to nothing of the grab
  at ratio 1 scaled up without smoothing (`nearest`: the pixels repeated), or edges as soft
  as its smooth scaling (`blurred`);
- `seam`: the largest share of a device pixel row or column that is a line one pixel wide
  in a colour neither side has (a seam between two widgets at a fractional ratio).

With --full each grab is also kept whole, as OUT/<screen>.full.png (to look at).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage

from kiosk.core.content.loader import load_content
from kiosk.core.service import memory
from kiosk.core.service.memory import ProcessMemory
from kiosk.ui.app import create_application
from kiosk.ui.attract import screen as attract_screen
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.preview import preview_window, walk_screens
from kiosk.ui.resources import probe_image

Pixels = npt.NDArray[np.int16]
TILE = 24  # logical pixels: the tiles the difference is judged on
DETAIL_TILE = 48  # logical pixels: the tiles sharpness is judged on
DETAIL = 3.0  # a tile with less difference than this between its smooth and its blocky
# scaling up (grey levels) is flat: nothing tells how it was painted
NEAREST = 0.5  # a tile this close to the blocky scaling up (against the smooth) repeats pixels
BLURRED = 1.3  # a tile with less than this much edge energy over the smooth scaling is soft


def _scaled(image: QImage, size: QSize, smooth: bool = True) -> QImage:
    mode = Qt.TransformationMode.SmoothTransformation if smooth \
        else Qt.TransformationMode.FastTransformation
    return image.scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio, mode)


def channels(image: QImage) -> Pixels:
    """Red, green and blue, as an array of rows."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(rgb.constBits(), dtype=np.uint8).reshape(rgb.height(),
                                                                  rgb.bytesPerLine())
    return rows[:, :rgb.width() * 3].reshape(rgb.height(), rgb.width(), 3).astype(np.int16)


def grey(image: QImage) -> Pixels:
    """The green channel: as good as the luminance to tell edges by, and read in place."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB32)  # as grabbed: no copy
    rows = np.frombuffer(rgb.constBits(), dtype=np.uint8).reshape(rgb.height(),
                                                                  rgb.bytesPerLine())
    return rows[:, 1:rgb.width() * 4:4].astype(np.int16)  # B G R A in memory


def _tiles(values: npt.NDArray[Any], side: int) -> npt.NDArray[np.float64]:
    """The mean of each `side` × `side` tile (the edges that do not fill one are left)."""
    height, width = values.shape[:2]
    rows, columns = height // side, width // side
    cut = values[:rows * side, :columns * side]
    shape = (rows, side, columns, side, *cut.shape[2:])
    axes = tuple(i for i in range(len(shape)) if i not in (0, 2))
    return np.asarray(cut.reshape(shape).mean(axis=axes, dtype=np.float64), dtype=np.float64)


def _blocks(values: Pixels, side: int) -> Pixels:
    """The `side` × `side` tiles of `values`, as an array of rows × columns of tiles."""
    rows, columns = values.shape[0] // side, values.shape[1] // side
    cut = values[:rows * side, :columns * side]
    return cut.reshape(rows, side, columns, side).swapaxes(1, 2)


def _edge_energy(tiles: Pixels) -> npt.NDArray[np.float64]:
    """Each tile's mean squared step between neighbouring pixels: a sharp edge steps from
    ink to paper in one pixel, a soft one in two or more smaller steps, which square to less."""
    values = tiles.astype(np.int32)
    across = (np.diff(values, axis=-1) ** 2).mean(axis=(-2, -1))
    down = (np.diff(values, axis=-2) ** 2).mean(axis=(-2, -1))
    return np.asarray(across + down, dtype=np.float64)


def difference(small: QImage, reference: QImage) -> tuple[float, float]:
    diff = np.abs(channels(small) - channels(reference))
    return float(diff.mean()), float(_tiles(diff, TILE).max())


def upscaled(device: QImage, reference: QImage, ratio: float) -> tuple[int, float]:
    """(tiles with detail, the share of them that look scaled up): see the docstring."""
    smooth = grey(_scaled(reference, device.size()))
    blocky = grey(_scaled(reference, device.size(), smooth=False))
    side = max(2, round(DETAIL_TILE * ratio))
    spread = _tiles(np.abs(smooth - blocky), side)
    detail = spread > DETAIL
    # Only the tiles with detail are looked at closely: a tenth of the screen or so.
    shot, smooth, blocky = (_blocks(pixels, side)[detail]
                            for pixels in (grey(device), smooth, blocky))
    nearest = np.abs(shot - blocky).mean(axis=(1, 2)) / spread[detail] < NEAREST
    blurred = _edge_energy(shot) / np.maximum(_edge_energy(smooth), 1e-6) < BLURRED
    count = int(detail.sum())
    return count, float((nearest | blurred).sum() / max(1, count))


def seam(device: QImage) -> float:
    shot = grey(device)
    worst = 0.0
    for lines in (shot, shot.T):
        middle, before, after = lines[1:-1], lines[:-2], lines[2:]
        alone = (np.abs(middle - before) > 12) & (np.abs(middle - after) > 12) \
            & (np.abs(before - after) < 6)
        worst = max(worst, float(alone.mean(axis=1).max()))
    return worst


class _Noon(dt.datetime):
    @classmethod
    def now(cls, tz: dt.tzinfo | None = None) -> _Noon:
        return cls(2026, 6, 1, 12, 0, tzinfo=tz)


def hold_still(window: KioskWindow) -> None:
    """What changes from one run to the next is held still, so runs at two ratios show the
    same: the clock on the attract band, its ripple, the time up and the memory the
    diagnostics show."""
    setattr(attract_screen, "dt", SimpleNamespace(datetime=_Noon))  # noqa: B010
    window.attract.band.clock = lambda: 0.0
    window.clock, window.started = (lambda: 60.0), 0.0
    # The diagnostics import it when they are shown (kiosk.ui.main_window).
    setattr(memory, "process_memory", _fixed_memory)  # noqa: B010


def _fixed_memory(proc: Path = Path("/proc/self")) -> ProcessMemory | None:
    return ProcessMemory(100_000, "PSS", 50_000)


def main(argv: list[str]) -> int:
    full = "--full" in argv
    args = [arg for arg in argv if arg != "--full"]
    content_dir, out = Path(args[0]), Path(args[1])
    logical = QSize(int(args[2]), int(args[3]))
    reference = Path(args[4]) if len(args) > 4 else None
    create_application()  # fonts, as `kiosk preview`
    content = load_content(content_dir, probe_image)
    out.mkdir(parents=True, exist_ok=True)
    window = preview_window(content, (logical.width(), logical.height()))
    hold_still(window)
    ratio = window.devicePixelRatioF()
    shots: list[dict[str, Any]] = []
    for shot in walk_screens(window, content):
        device = window.grab().toImage()
        device.setDevicePixelRatio(1.0)  # its pixels, as they are
        name = shot.file.removesuffix(".png")
        if full:
            device.save(str(out / f"{name}.full.png"), quality=80)
        small = _scaled(device, logical) if device.size() != logical else device
        small.save(str(out / shot.file), quality=80)
        found: dict[str, Any] = {"screen": name, "width": device.width(),
                                 "height": device.height()}
        if reference is not None and (reference / shot.file).exists():
            ratio_1 = QImage(str(reference / shot.file))
            found["difference"], found["worst_tile"] = difference(small, ratio_1)
            found["detail_tiles"], found["upscaled"] = upscaled(device, ratio_1, ratio)
            # Seams come of widget edges that fall mid-pixel: at a fractional ratio only.
            found["seam"] = seam(device) if ratio != round(ratio) else 0.0
        shots.append(found)
    (out / "shots.json").write_text(json.dumps({"ratio": ratio, "shots": shots}, indent=1),
                                    encoding="utf-8")
    window.allow_close = True
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
