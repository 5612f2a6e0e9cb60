"""A touch-screen kiosk for the waiting areas of public service centres."""

__version__ = "0.1.0"
