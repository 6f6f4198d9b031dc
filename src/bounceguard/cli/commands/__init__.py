"""Each module here exposes `register(subparsers)`; adding a command is adding a file."""
