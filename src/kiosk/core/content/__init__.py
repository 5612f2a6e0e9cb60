"""The content folder read and checked: the model (`model`), the reader that logs every
problem and skips the item (`loader`, `sources`, `yamlsrc`, `merge` of head office's and the
centre's folders), the on-disk index (`index`, `kept`), live reload (`reload`), pictures and
clips checked before any decoder sees them (`imagesafe`, `clipfile`, `video`, `poster_shape`),
the child process that parses untrusted files (`sandbox`), notices and what the loop says of
an item (`notices`, `teaser`), paths kept small for 37,000 stories (`textpath`), and problems
worded for staff (`problems`). Importing this package alone loads nothing.
"""
