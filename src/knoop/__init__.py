"""knoop: software for trigger-point therapy practices.

The package is layered; imports go one way (see docs/architecture.md):
``web``/``cli`` -> ``ranking`` -> ``bodymap`` -> ``kb``.
"""

__version__ = "0.1.0"
