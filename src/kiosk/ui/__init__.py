"""The Qt layer: one module per screen. Screens display the core's state and forward input."""
