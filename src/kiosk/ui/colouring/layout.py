"""Where the colouring page's controls and its canvas go, for a screen of a given size: a
module of its own, without numpy, so the window can tell the canvas's size (the pictures are
prepared ahead for it: kiosk.ui.colouring.ahead) before the page is ever built."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect

from kiosk.ui.chrome import BAR_HEIGHT
from kiosk.ui.theme import Theme

# Bright, clearly different colours a child can tell apart (and black, brown, grey for
# details), in rainbow order: three to a row in landscape, six in portrait.
PALETTE = ("#E53935", "#FB8C00", "#FDD835", "#D4E157", "#7CB342", "#2E7D32",
           "#00897B", "#4FC3F7", "#1E88E5", "#283593", "#8E24AA", "#EC407A",
           "#F8BBD0", "#FFCC80", "#8D6E63", "#5D4037", "#9E9E9E", "#212121")
BRUSH_RADII = {"small": 6, "medium": 14, "large": 28}  # pixels at 1080p


@dataclass(frozen=True)
class PageLayout:
    """Where each control and the canvas go on a screen of a given size."""

    home: QRect
    pictures: QRect
    tools: tuple[QRect, ...]  # fill, the small, medium and large brush, the eraser
    undo: QRect
    start_over: QRect
    done: QRect
    swatches: tuple[QRect, ...]  # in PALETTE's order
    canvas: QRect


def page_layout(theme: Theme, width: int, height: int) -> PageLayout:
    """Landscape: where-to-go, the tools and undo down the left; the colours and «Готово»
    down the right; the picture between them as large as the height allows (on a 4:3 or 5:4
    screen the tools in a row under it, undo above it on the right). Portrait: the
    picture under where-to-go, then the tools, the colours, and undo and «Готово» along the
    bottom. Every control at least a touch target; Home exactly where the top bar puts it."""
    touch = theme.touch_px
    near = theme.space("s")  # between the controls of one group
    edge = (theme.px(BAR_HEIGHT) - touch) // 2  # from the top as in the top bar, and bottom
    margin = theme.margin
    home = QRect(margin, edge, touch, touch)
    pictures = QRect(home.right() + 1 + near, edge, touch, touch)
    pair = 2 * touch + near  # two buttons side by side
    if not theme.portrait:
        apart = theme.space("xl")  # between groups
        undo = QRect(margin, height - edge - touch, touch, touch)
        start_over = QRect(undo.right() + 1 + near, undo.top(), touch, touch)
        count = len(BRUSH_RADII) + 2
        stack = count * touch + (count - 1) * near
        # A shorter page (an urgent notice's band under it, kiosk.ui.notice_band): the groups
        # closer together and «Готово» one touch target high, so no control overlaps another.
        short = 2 * (edge + touch + apart) + stack > height
        down = theme.space("s") if short else apart  # between groups, top to bottom
        room_top, room_bottom = home.bottom() + 1 + down, undo.top() - down
        top = room_top + max(0, (room_bottom - room_top - stack) // 2)
        tools = tuple(QRect(margin, top + i * (touch + near), pair, touch) for i in range(count))
        columns = 3
        column = width - margin - (columns * touch + (columns - 1) * near)
        swatches = tuple(QRect(column + (i % columns) * (touch + near),
                               edge + (i // columns) * (touch + near), touch, touch)
                         for i in range(len(PALETTE)))
        done_height = touch if short else theme.px(160)
        done = QRect(column, height - edge - done_height, width - margin - column, done_height)
        canvas = QRect(margin + pair + apart, edge, column - apart - (margin + pair + apart),
                       height - 2 * edge)
        if theme.narrow:
            # 4:3 and 5:4: the tools down the left left the picture 433 px wide at 1280×1024
            # (42 % of the height). The tools go in a row under it and undo top right of it,
            # away from Home; the picture is 668 px there (4:3: 387 → 500).
            right = column - apart  # the canvas's room ends where the colours' begins
            # Undo first, start over after it, as on every other screen: a child who knows
            # the arrow from one kiosk does not meet the fresh sheet in its place on another
            # (a mistaken start over only asks its question, which covers the page).
            undo = QRect(right - pair, edge, touch, touch)
            start_over = QRect(undo.right() + 1 + near, edge, touch, touch)
            tool_width = (right - margin - (count - 1) * near) // count
            tools_top = height - edge - touch
            step = (right - margin - tool_width) / (count - 1)
            tools = tuple(QRect(round(margin + i * step), tools_top, tool_width, touch)
                          for i in range(count))
            canvas_top = home.bottom() + 1 + down
            canvas = QRect(margin, canvas_top, right - margin, tools_top - down - canvas_top)
    else:
        apart = theme.space("l")
        inner = width - 2 * margin
        undo = QRect(margin, height - edge - touch, touch, touch)
        start_over = QRect(undo.right() + 1 + near, undo.top(), touch, touch)
        done_width = 3 * touch + 2 * near
        done = QRect(width - margin - done_width, undo.top(), done_width, touch)
        columns = 6
        rows = -(-len(PALETTE) // columns)
        side = max(touch, min(theme.px(136), (inner - (columns - 1) * near) // columns))
        step_x = (inner - side) / (columns - 1)
        palette_top = undo.top() - apart - (rows * side + (rows - 1) * near)
        swatches = tuple(QRect(round(margin + (i % columns) * step_x),
                               palette_top + (i // columns) * (side + near), side, side)
                         for i in range(len(PALETTE)))
        count = len(BRUSH_RADII) + 2
        tool_width = (inner - (count - 1) * near) // count
        tools_top = palette_top - apart - touch
        step = (inner - tool_width) / (count - 1)
        tools = tuple(QRect(round(margin + i * step), tools_top, tool_width, touch)
                      for i in range(count))
        canvas_top = home.bottom() + 1 + apart
        canvas = QRect(margin, canvas_top, inner, tools_top - apart - canvas_top)
    return PageLayout(home, pictures, tools, undo, start_over, done, swatches, canvas)
