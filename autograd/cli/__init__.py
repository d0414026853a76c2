"""The ``stepgrad`` command line: safe expression parsing and the commands built on it."""
