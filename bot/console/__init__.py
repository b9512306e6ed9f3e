"""The local front end: an interactive prompt and one-shot `ask`, answering in plain text."""
