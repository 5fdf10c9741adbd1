"""`unspun scan`: every derived pair and star cluster in a corpus, locally or on Apache Spark.

``stages`` holds the stage functions (plain functions over partitions), ``engines`` runs them in
this process or on Spark and writes the Parquet output."""

from .engines import LocalEngine, ScanResult, SparkEngine, scan, scan_against, write_parquet

__all__ = ["LocalEngine", "ScanResult", "SparkEngine", "scan", "scan_against", "write_parquet"]
