"""`python -m bot` is `talent-bot`."""

from bot.cli import main

# Guarded so that a worker process started by multiprocessing never re-runs the command line.
if __name__ == "__main__":
    raise SystemExit(main())
