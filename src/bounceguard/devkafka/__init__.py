"""A single-node Apache Kafka broker for development, tests and CI, built from Maven Central jars.

No tarball and no Docker: Maven resolves `org.apache.kafka:kafka_2.13` with its runtime
dependencies into a cache, and the broker runs in KRaft combined mode on 127.0.0.1.
"""
