"""How the kiosk's process ends, for the service manager (deploy/kiosk.service restarts it
whatever the status; the status says why it ended, in the journal)."""

from __future__ import annotations

EXIT_OK = 0  # SIGTERM/SIGINT, or staff chose «Выйти из киоска»
EXIT_RESTART = 75  # staff chose «Перезапустить киоск» (EX_TEMPFAIL: please run me again)
