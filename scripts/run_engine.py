#!/usr/bin/env python3
"""Build the project on one engine: start what the engine needs, run dbt there, stop it.

    python scripts/run_engine.py postgres                  # dbt build on a throwaway PostgreSQL
    python scripts/run_engine.py spark                     # dbt build in a local Spark session
    python scripts/run_engine.py duckdb                    # dbt build into a scratch DuckDB file
    python scripts/run_engine.py postgres -- test --select staging   # any dbt command after --
    python scripts/run_engine.py spark --export out/spark  # also write every mart table as CSV
    python scripts/run_engine.py postgres --freshness out/pg_sources.json   # then source freshness

Run it from the Python environment that has the engine's adapter (requirements.txt plus
requirements-engines.txt); see docs/engines.md.

postgres  initdb + pg_ctl a new cluster in a scratch directory, listening on 127.0.0.1 on a
          free port (trust auth, user `postgres`, database `account_kpis`, TimeZone UTC),
          build there, then stop the server. As root the server runs as the OS user
          `postgres` (PostgreSQL refuses to run as root). Binaries: $PG_BIN, else
          `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin; when none is found
          and the script runs as root, Debian's `postgresql` package is installed with apt-get.
          The raw CSV files are loaded by the on-run-start hook with a server-side COPY, so
          the server's OS user must be able to read raw_data_dir; when it cannot (a checkout
          under /root or a 0700 temp dir), the script copies raw_data_dir into the cluster's
          directory and points the dbt commands at the copy.
spark     dbt-spark `method: session` starts the Spark session inside the dbt process (Java 17
          on PATH or JAVA_HOME); the script only gives it a scratch warehouse directory and
          Derby metastore, so nothing is written into the project.
duckdb    a scratch warehouse file (never target/account_kpis.duckdb).

Everything (cluster, warehouse, dbt target and logs) lives in one scratch directory, removed
at the end unless --keep or --workdir is given. The exit status is dbt's.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import decimal
import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]
PG_DATABASE = "account_kpis"
PG_USER = "postgres"


def log(message: str) -> None:
    print(f"[run_engine] {message}", flush=True)


# --------------------------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------------------------

def find_pg_bin(install: bool) -> Path:
    """Directory holding initdb/pg_ctl; installs Debian's postgresql package as a last resort."""
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]))
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if out.returncode == 0:
            candidates.append(Path(out.stdout.strip()))
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                      key=lambda p: [int(x) if x.isdigit() else 0 for x in Path(p).parent.name.split(".")])
    candidates.extend(Path(p) for p in reversed(versions))
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    if install and os.geteuid() == 0 and shutil.which("apt-get"):
        log("PostgreSQL server binaries not found: installing Debian's postgresql package")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "postgresql"], check=True, env=env)
        return find_pg_bin(install=False)
    raise SystemExit("PostgreSQL server binaries (initdb, pg_ctl) not found: install them "
                     "(Debian: apt-get install postgresql) or set PG_BIN")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresCluster:
    """A throwaway cluster: initdb in `root`, pg_ctl start on 127.0.0.1:<free port>, stop."""

    def __init__(self, root: Path, install: bool):
        self.bin = find_pg_bin(install)
        self.root = root
        self.data = root / "data"
        self.socket_dir = root / "socket"
        self.logfile = root / "server.log"
        self.port = free_port()
        self.os_user = None
        self.owned_tmp = None  # a cluster directory outside the scratch directory, removed at stop
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root: run the server as the package's system user.
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
            self.os_user = "postgres"

    def _run(self, args: list[str], **kwargs) -> subprocess.CompletedProcess:
        if self.os_user:
            args = ["runuser", "-u", self.os_user, "--", *args]
        return subprocess.run(args, check=True, **kwargs)

    def _relocate(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.socket_dir = root / "socket"
        self.logfile = root / "server.log"

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if self.os_user:
            info = pwd.getpwnam(self.os_user)
            os.chown(self.root, info.pw_uid, info.pw_gid)
            check = subprocess.run(["runuser", "-u", self.os_user, "--", "test", "-w", str(self.root)])
            if check.returncode != 0:
                # The scratch directory sits under a directory the server's user cannot enter
                # (pytest's tmp dirs are 0700): keep the cluster in a temp dir of its own.
                self._relocate(Path(tempfile.mkdtemp(prefix="acctkpi-pgcluster-")))
                self.owned_tmp = self.root
                os.chmod(self.root, 0o700)
                os.chown(self.root, info.pw_uid, info.pw_gid)
        if self.data.exists():
            # A cluster left in a kept --workdir by an earlier run: start from scratch.
            if (self.data / "postmaster.pid").exists():
                raise SystemExit(f"a PostgreSQL server still runs on {self.data}: stop it first "
                                 f"(pg_ctl -D {self.data} stop)")
            shutil.rmtree(self.data)
        self.socket_dir.mkdir(exist_ok=True)
        if self.os_user:
            os.chown(self.socket_dir, info.pw_uid, info.pw_gid)
        log(f"initdb ({self.bin}) in {self.data}")
        self._run([str(self.bin / "initdb"), "-D", str(self.data), "-U", PG_USER, "-A", "trust",
                   "-E", "UTF8", "--no-locale"], stdout=subprocess.DEVNULL)
        options = " ".join([
            f"-p {self.port}", "-c listen_addresses=127.0.0.1", f"-k {self.socket_dir}",
            "-c TimeZone=UTC", "-c fsync=off", "-c synchronous_commit=off",
            "-c full_page_writes=off", "-c max_connections=20", "-c shared_buffers=128MB",
        ])
        log(f"pg_ctl start on 127.0.0.1:{self.port}")
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.logfile),
                   "-o", options, "-w", "-t", "60", "start"], stdout=subprocess.DEVNULL)
        self._run([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                   "-U", PG_USER, PG_DATABASE])

    def readable_copy(self, raw_dir: Path) -> Path | None:
        """None when the server's OS user can read every file under raw_dir (its server-side
        COPY reads them); otherwise a copy of raw_dir in the cluster's directory, owned by it."""
        files = [str(f) for f in raw_dir.rglob("*") if f.is_file()]
        if not self.os_user or not files:
            return None
        check = subprocess.run(["runuser", "-u", self.os_user, "--", "sh", "-c",
                                'for f do [ -r "$f" ] || exit 1; done', "sh", *files])
        if check.returncode == 0:
            return None
        copy = self.root / "raw"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(raw_dir, copy)
        subprocess.run(["chown", "-R", f"{self.os_user}:", str(copy)], check=True)
        log(f"the server's OS user {self.os_user} cannot read {raw_dir}: loading a copy, {copy}")
        return copy

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                log("pg_ctl stop")
                self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
                          stdout=subprocess.DEVNULL)
        finally:
            if self.owned_tmp is not None:
                shutil.rmtree(self.owned_tmp, ignore_errors=True)

    def env(self) -> dict:
        return {"DBT_TARGET": "postgres", "DBT_PG_HOST": "127.0.0.1", "DBT_PG_PORT": str(self.port),
                "DBT_PG_USER": PG_USER, "DBT_PG_PASSWORD": "", "DBT_PG_DBNAME": PG_DATABASE,
                "PGTZ": "UTC"}


def dbt_vars(dbt_args: list[str]) -> tuple[dict, int | None]:
    """The `--vars` of a dbt command line as a dict, and the index of its value (None if absent)."""
    for i, arg in enumerate(dbt_args):
        if arg == "--vars" and i + 1 < len(dbt_args):
            return yaml.safe_load(dbt_args[i + 1]) or {}, i + 1
        if arg.startswith("--vars="):
            return yaml.safe_load(arg.split("=", 1)[1]) or {}, i
    return {}, None


def with_raw_data_dir(dbt_args: list[str], raw_dir: Path) -> list[str]:
    """The dbt command line with the var raw_data_dir set to raw_dir, other vars kept."""
    values, at = dbt_vars(dbt_args)
    rendered = json.dumps({**values, "raw_data_dir": str(raw_dir)})
    if at is None:
        return [*dbt_args, "--vars", rendered]
    if dbt_args[at].startswith("--vars="):
        return [*dbt_args[:at], "--vars", rendered, *dbt_args[at + 1:]]
    return [*dbt_args[:at], rendered, *dbt_args[at + 1:]]


def raw_data_dir(dbt_args: list[str]) -> Path:
    """The raw directory a dbt command reads: its --vars, else dbt_project.yml's default,
    relative to the project directory (where dbt runs)."""
    configured = dbt_vars(dbt_args)[0].get("raw_data_dir")
    if configured is None:
        configured = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]["raw_data_dir"]
    return PROJECT_DIR / str(configured)


# --------------------------------------------------------------------------------------------
# Spark
# --------------------------------------------------------------------------------------------

def spark_env(root: Path) -> dict:
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise SystemExit("Spark needs Java 17: put java on PATH or set JAVA_HOME")
    return {"DBT_TARGET": "spark",
            "DBT_SPARK_WAREHOUSE_DIR": str(root / "spark-warehouse"),
            "DBT_SPARK_METASTORE_DIR": str(root / "spark-metastore"),
            # dbt-spark's session runs the JVM in the dbt process: keep its scratch files here too.
            "SPARK_LOCAL_DIRS": str(root / "spark-local")}


def spark_session(env: dict):
    """A Spark session on the same warehouse and metastore the build used (after dbt exited)."""
    from pyspark.sql import SparkSession

    return (SparkSession.builder.enableHiveSupport()
            .master("local[2]")
            .config("spark.sql.warehouse.dir", env["DBT_SPARK_WAREHOUSE_DIR"])
            .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={env['DBT_SPARK_METASTORE_DIR']}")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .getOrCreate())


# --------------------------------------------------------------------------------------------
# Export of the mart tables, for the cross-engine comparison
# --------------------------------------------------------------------------------------------

def normalise(value) -> str:
    """One cell as text, the same for the same value on every engine (numbers to the cent)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int,)):
        return str(value)
    if isinstance(value, (float, decimal.Decimal)):
        number = decimal.Decimal(str(value)).quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)
        return str(number + 0)  # -0.00 -> 0.00
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_table(out_dir: Path, name: str, columns: list[str], rows: list) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    lowered = [c.lower() for c in columns]
    normalised = sorted([normalise(v) for v in row] for row in rows)
    with open(out_dir / f"{name}.csv", "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(lowered)
        writer.writerows(normalised)


def export_schemas(engine: str, env: dict, out_dir: Path, schemas: list[str]) -> None:
    """Write every table of `schemas` as <out_dir>/<schema>/<table>.csv (sorted, normalised rows)."""
    log(f"exporting schema(s) {', '.join(schemas)} to {out_dir}")
    if engine == "duckdb":
        import duckdb

        with duckdb.connect(env["DBT_DUCKDB_PATH"], read_only=True) as con:
            for schema in schemas:
                tables = [r[0] for r in con.execute(
                    "select table_name from information_schema.tables where table_schema = ? "
                    "and table_type = 'BASE TABLE'", [schema]).fetchall()]
                for table in tables:
                    cur = con.execute(f'select * from "{schema}"."{table}"')
                    write_table(out_dir / schema, table, [d[0] for d in cur.description], cur.fetchall())
    elif engine == "postgres":
        import psycopg2

        con = psycopg2.connect(host=env["DBT_PG_HOST"], port=int(env["DBT_PG_PORT"]),
                               user=env["DBT_PG_USER"], dbname=env["DBT_PG_DBNAME"])
        try:
            with con.cursor() as cur:
                for schema in schemas:
                    cur.execute("select table_name from information_schema.tables where table_schema = %s "
                                "and table_type = 'BASE TABLE'", [schema])
                    tables = [r[0] for r in cur.fetchall()]
                    for table in tables:
                        cur.execute(f'select * from "{schema}"."{table}"')
                        write_table(out_dir / schema, table, [d[0] for d in cur.description], cur.fetchall())
        finally:
            con.close()
    elif engine == "spark":
        spark = spark_session(env)
        try:
            for schema in schemas:
                tables = [r.tableName for r in spark.sql(f"show tables in {schema}").collect()
                          if not r.isTemporary]
                for table in tables:
                    df = spark.table(f"{schema}.{table}")
                    write_table(out_dir / schema, table, df.columns, [tuple(r) for r in df.collect()])
        finally:
            spark.stop()


# --------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("engine", choices=["duckdb", "postgres", "spark"])
    parser.add_argument("--workdir", type=Path, help="scratch directory (kept); default: a new temp dir, removed")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--export", type=Path, help="after a successful build, write every table of the "
                        "--export-schemas as sorted CSV under DIR/<schema>/<table>.csv")
    parser.add_argument("--export-schemas", default="marts", help="comma-separated schemas to export (default: marts)")
    parser.add_argument("--no-install", action="store_true", help="never apt-get install postgresql")
    parser.add_argument("--threads", type=int, help="dbt threads (default: 2 on duckdb/postgres, 1 on spark)")
    parser.add_argument("--freshness", type=Path, metavar="FILE",
                        help="after the dbt command, also run `dbt source freshness` on the same engine and "
                        "write its results (sources.json) to FILE; a stale source does not change the exit status")
    parser.epilog = "dbt command and arguments go after --; default: build"
    argv = sys.argv[1:]
    dbt_args = []
    if "--" in argv:
        split = argv.index("--")
        argv, dbt_args = argv[:split], argv[split + 1:]
    args = parser.parse_args(argv)
    dbt_args = dbt_args or ["build"]
    # Spark hands timestamps to Python in the process's local zone: make that UTC.
    os.environ["TZ"] = "UTC"
    time.tzset()
    keep = args.keep or args.workdir is not None
    root = (args.workdir or Path(tempfile.mkdtemp(prefix=f"acctkpi-{args.engine}-"))).resolve()
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o755)

    env = {**os.environ,
           "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"),
           "DBT_TARGET_PATH": os.environ.get("DBT_TARGET_PATH", str(root / "target")),
           "DBT_LOG_PATH": os.environ.get("DBT_LOG_PATH", str(root / "logs")),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
           "TZ": "UTC"}
    if args.threads:
        env["DBT_THREADS"] = str(args.threads)

    cluster = None
    started = time.monotonic()
    try:
        if args.engine == "postgres":
            cluster = PostgresCluster(root / "postgres", install=not args.no_install)
            cluster.start()
            env.update(cluster.env())
            raw_copy = cluster.readable_copy(raw_data_dir(dbt_args))
            if raw_copy is not None:
                dbt_args = with_raw_data_dir(dbt_args, raw_copy)
        elif args.engine == "spark":
            env.update(spark_env(root))
        else:
            env.update({"DBT_TARGET": "duckdb", "DBT_DUCKDB_PATH": str(root / "warehouse.duckdb")})
        ready = time.monotonic()

        cmd = [sys.executable, "-c", "from dbt.cli.main import cli; cli()", *dbt_args]
        log(f"dbt {' '.join(dbt_args)} on {args.engine} (target dir {env['DBT_TARGET_PATH']})")
        code = subprocess.run(cmd, cwd=PROJECT_DIR, env=env).returncode
        built = time.monotonic()
        log(f"dbt exited {code}: engine start {ready - started:.1f}s, dbt {built - ready:.1f}s")

        # Freshness first: on Spark the export below starts a JVM in this process, whose Derby
        # metastore lock would stop a later dbt process from opening the metastore.
        if args.freshness:
            output = args.freshness.resolve()
            results = PROJECT_DIR / env["DBT_TARGET_PATH"] / "sources.json"
            results.unlink(missing_ok=True)
            fresh_cmd = [sys.executable, "-c", "from dbt.cli.main import cli; cli()", "source", "freshness"]
            values, at = dbt_vars(dbt_args)
            if at is not None:  # the same raw directory as the dbt command
                fresh_cmd += ["--vars", json.dumps(values)]
            fresh_code = subprocess.run(fresh_cmd, cwd=PROJECT_DIR, env=env).returncode
            # dbt exits 1 when a source is stale: that is a result, not a failure of the script;
            # no results file is.
            if results.exists():
                output.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(results, output)
                log(f"dbt source freshness exited {fresh_code}; results in {output}")
            else:
                log(f"dbt source freshness exited {fresh_code} and wrote no {results}")
                if code == 0:
                    code = fresh_code or 2
        if args.export and code == 0:
            export_schemas(args.engine, env, args.export.resolve(),
                           [x.strip() for x in args.export_schemas.split(",") if x.strip()])
        return code
    finally:
        if cluster is not None:
            try:
                cluster.stop()
            except subprocess.CalledProcessError as exc:
                log(f"pg_ctl stop failed: {exc}")
        if keep:
            log(f"scratch directory kept: {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
