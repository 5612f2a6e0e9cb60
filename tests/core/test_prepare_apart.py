"""The preparing child follows the window's latest wish, whatever order the pool runs its
requests in (kiosk.core.colouring.prepare_apart): a visitor going from the menu to the picker
must find the child waiting, one leaving the picker must not leave it running."""

from __future__ import annotations

from kiosk.core.colouring.prepare_apart import apply_wish, engine, let_go, want_waiting


def test_the_latest_wish_wins_whatever_order_the_requests_run_in() -> None:
    try:
        want_waiting(False)  # the menu shown…
        want_waiting(True)  # …then the picker, before either request ran
        apply_wish()  # the menu's request, run second by the pool
        apply_wish()
        assert engine().running
        want_waiting(True)  # the picker…
        want_waiting(False)  # …then the visitor went
        apply_wish()
        apply_wish()
        assert not engine().running
        want_waiting(True)
        apply_wish()
        let_go()  # the page has its canvas
        assert not engine().running
        apply_wish()  # a request queued before: the wish is "none" now
        assert not engine().running
    finally:
        let_go()
