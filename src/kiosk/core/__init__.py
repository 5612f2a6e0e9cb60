"""The kiosk's core: content model, validation, playlist and idle logic.

Nothing in this package imports Qt (tests/test_architecture.py enforces it), so all of it runs
and is tested without a QApplication. Time is always passed in as an argument.
"""
