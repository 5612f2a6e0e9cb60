"""WCAG 2 contrast between two colours, for checking the theme (no Qt needed)."""

from __future__ import annotations


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    text = hex_colour.lstrip("#")
    if len(text) == 8:  # #AARRGGBB as Qt writes it: the alpha is not part of the colour
        text = text[2:]
    r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    light, dark = sorted((relative_luminance(foreground), relative_luminance(background)),
                         reverse=True)
    return (light + 0.05) / (dark + 0.05)
