"""The Faust layer: topics, agents, tables and web views. Thin glue around `bounceguard.core`."""
