"""Behind the hidden corner: the PIN pad (`pin_pad`), the staff menu (`menu`) and its test
pattern for the screen (`pattern`).
"""
