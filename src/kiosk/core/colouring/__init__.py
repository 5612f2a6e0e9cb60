"""The colouring page without Qt: the engine on arrays (`engine`: regions, fills, strokes,
undo), pictures prepared in a child process so that OpenCV never loads in the kiosk
(`prepare_apart`) and kept on disk for the next visitor (`prepared_store`). Importing this
package alone loads nothing (numpy comes with `engine`).
"""
