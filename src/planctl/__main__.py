"""Allow ``python -m planctl``."""

from planctl.entry import main

main()
