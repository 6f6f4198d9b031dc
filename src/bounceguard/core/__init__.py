"""The pure core: models, classification, parsing, policy and rate maths.

Nothing in here imports Faust, aiokafka or does I/O, so every rule is testable offline.
"""
