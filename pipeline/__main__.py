import sys

from .cli import main

# A process that multiprocessing spawns imports this module as __mp_main__: it must not run.
if __name__ == "__main__":
    sys.exit(main())
