"""The scan as a spark-submit application: ``unspun scan ARGS --engine spark`` in the session that
spark-submit configured (its --master, executors and memory).

    spark-submit --master yarn "$(python -c 'import unspun.scan.submit as s; print(s.__file__)')" \\
        corpus/ --out scan/
    spark-submit --master spark://host:7077 "$(...)" 'hdfs:///crawl/*.warc.gz' --out scan/

The executors read the PATHs themselves (scan/inputs.py): local paths on storage they all see,
or URIs Spark's Hadoop readers take.

Absolute imports only: spark-submit runs this file as a script, not as part of the package.
"""

import sys

from unspun.cli import main


def run(argv: list[str]) -> int:
    args = ["scan", *argv]
    if "--engine" not in argv:
        args += ["--engine", "spark"]
    return main(args)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
