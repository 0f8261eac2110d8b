"""``python -m knoop`` runs the command line."""

from knoop.cli import main

main()
