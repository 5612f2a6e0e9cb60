import sys

from kiosk.cli import main

if __name__ == "__main__":  # `kiosk check` starts worker processes that import this module
    sys.exit(main())
