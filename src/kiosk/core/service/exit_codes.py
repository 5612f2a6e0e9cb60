"""How the kiosk's process ends, for the service manager (deploy/kiosk.service restarts it
unless it is 0; the status says why it ended, in the journal) and for monitoring. 2 is
argparse's (a wrong option)."""

from __future__ import annotations

EXIT_OK = 0  # SIGTERM/SIGINT, or staff chose «Выйти из киоска»
EXIT_RESTART = 75  # staff chose «Перезапустить киоск» (EX_TEMPFAIL: please run me again)
# An exception nobody caught ended `kiosk run`, `check` or `preview` (EX_SOFTWARE): logged at
# CRITICAL with its traceback. Not 1, which `kiosk check` means for content with errors.
EXIT_CRASH = 70
