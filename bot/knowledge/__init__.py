"""The knowledge files: their format, their fact kinds, and the loader that checks them."""
