"""`python -m bot` is `talent-bot`."""

from bot.cli import main

raise SystemExit(main())
