import sys

if __name__ == "__main__":  # `kiosk check` starts worker processes that import this module
    from kiosk.entry import main

    sys.exit(main())
