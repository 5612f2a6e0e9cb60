"""Video clips (docs/video.md): libmpv through python-mpv, loaded only when content has a clip.

`mpvlib` holds libmpv and its software renderer (no Qt: the probe's child process uses it too);
`player` plays a clip into a QImage the screens paint; `probe` is `kiosk check`'s look at each
clip in a child process, and `still` paints a clip's first frame with a play mark for
`kiosk preview`. Nothing here is imported at start-up: importing this package alone loads
nothing.
"""
