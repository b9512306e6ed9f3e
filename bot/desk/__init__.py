"""The knowledge desk: admins add, replace, remove and read knowledge files through commands.

Pure (no Discord): the commands in bot/commands.py call bot.desk.edits and bot.desk.views; an edit checks an
upload (upload.py), validates it with every current file in the reload worker (check.py), writes
or moves files atomically under the folder's lock (files.py) and records what it did.
"""
