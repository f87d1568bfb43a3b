#!/usr/bin/env python3
"""Runs Athena SQL over keyaudit's Parquet output with DuckDB, our Athena stand-in.

Each table folder under ROOT (`<root>/<table>/dt=YYYY-MM-DD/*.parquet`) becomes a
view with the same name, in the `keyaudit` schema and the default one, with a `dt`
partition column (a string), as the Athena tables in
examples/athena/tables.sql are. Trino functions DuckDB spells differently
(`from_iso8601_timestamp`) are defined as macros. Prints the result rows as a JSON list of objects
(timestamps as ISO 8601 strings).

usage: duckdb_query.py ROOT (--sql TEXT | --file PATH) [--format json|table]
"""

import argparse
import json
import os
import sys

import duckdb


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--sql")
    group.add_argument("--file")
    parser.add_argument("--format", choices=["json", "table"], default="json")
    args = parser.parse_args()
    sql = args.sql if args.sql is not None else open(args.file).read()

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    # Athena (Trino) functions DuckDB spells differently.
    con.execute("CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)")
    # Each table in the `keyaudit` schema, as `keyaudit athena ddl` creates
    # them in the `keyaudit` database (the shipped SQL runs unchanged), and
    # in the default schema for ad-hoc queries.
    con.execute("CREATE SCHEMA keyaudit")
    for table in sorted(os.listdir(args.root)):
        if os.path.isdir(os.path.join(args.root, table)):
            pattern = os.path.join(args.root, table, "dt=*", "*.parquet").replace("'", "''")
            for schema in ("keyaudit.", ""):
                con.execute(
                    f"CREATE VIEW {schema}{table} AS SELECT * FROM read_parquet('{pattern}', "
                    "hive_partitioning = true, hive_types = {'dt': VARCHAR})"
                )
    if args.format == "table":
        con.sql(sql).show(max_width=160)
        return 0
    result = con.execute(sql)
    if result.description is None:  # a statement without rows (COPY, CREATE)
        json.dump([], sys.stdout)
        return 0
    columns = [d[0] for d in result.description]
    rows = [dict(zip(columns, row)) for row in result.fetchall()]
    json.dump(rows, sys.stdout, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
