"""Every Qt test runs offscreen on a fixed screen, so layouts are the same on every machine."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

_screens = Path(tempfile.gettempdir()) / "kiosk-test-screens.json"
_screens.write_text(json.dumps({
    "windowFrameMargins": False,
    "screens": [{"name": "kiosk", "x": 0, "y": 0, "width": 1920, "height": 1080,
                 "logicalDpi": 96, "dpr": 1}],
}))
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screens}"
# This computer's settings files (/etc/kiosk/kiosk.yaml, ~/.config/kiosk/kiosk.yaml) are not
# read by the commands tests run: a test names the ones it wants (kiosk.core.machine).
os.environ["KIOSK_MACHINE_SETTINGS"] = ""
os.environ["KIOSK_USER_SETTINGS"] = ""
