"""The electronic queue on screen: its calls read without blocking (`source`), the banner of
a call (`banner`), the last calls on the attract screen (`recent_calls`), and a call's words
laid out for both (`call_text`).
"""
