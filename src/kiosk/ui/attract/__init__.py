"""Attract mode: the loop of posters (`poster`), the band that invites a touch (`band`), the
screen that cycles them (`screen`), and `kiosk check`'s measure of the posters' words
(`poster_check`)."""

from kiosk.ui.attract.screen import AttractScreen, SlideStage

__all__ = ["AttractScreen", "SlideStage"]
