"""Time, always passed in: when an item may be shown (`schedule`, and in words for staff,
`schedule_text`) and when the centre is open, so whether the screen sleeps (`opening`).
"""
