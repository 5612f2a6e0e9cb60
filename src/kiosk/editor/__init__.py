"""The staff web editor: a separate process (`kiosk editor`) serving pages on the centre's
network, through which staff write the centre's content folder. The kiosk never imports it."""
