"""The `bounceguard` command line: one module per subcommand under `commands/`."""
