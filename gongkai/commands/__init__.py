"""Sub-commands of ``gongkai``: one module each, with ``register(subparsers)``."""
