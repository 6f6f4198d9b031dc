"""bounceguard: bounce classification, suppression and bounce-rate trends on Kafka."""

__version__ = "0.1.0"
