"""A module that takes 1.5 s to import: a sandbox child starting on a busy machine."""

import time

time.sleep(1.5)
