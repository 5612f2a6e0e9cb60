"""The Qt layer: one module per screen. Screens display the core's state and forward input."""

from kiosk.ui.pyside_feature import quicker_feature_check

quicker_feature_check()  # before the modules below kiosk.ui are imported: see there
