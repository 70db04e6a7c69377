"""planctl: public-sector plans as YAML in git, with queries, lint and easy-read rendering."""

__version__ = "0.1.0"
