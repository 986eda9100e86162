"""Raw -> curated Spark job of the lakehouse blueprint.

Reads, by S3 path, the raw files of the domain's closed arrival hours after its input watermark
(the last hour a run committed, kept in the pipeline state table; not Glue job bookmarks): an
hour is closed once Firehose can no longer deliver under its prefix (hour end + the stream's
buffer interval + a margin, --close_after_seconds), at most --max_hours_per_run hours a run,
oldest first. lib/run-integrity.ts states the rule and its replay test; docs/run-integrity.md
says why. The job registers the raw partitions it read, so catalog readers see them.

It runs the domain's transformation: SQL generated at deploy time from the domain's declared
contract (lib/etl-sql.ts, lib/iceberg-merge-sql.ts), uploaded next to this script and named by
--transform_sql. Over a temporary view of the raw rows, one statement splits off the rows failing
the contract (quarantined with the rules they fail), another builds the run's batch (of the valid
rows, the latest version of each primary key, typed and ordered as declared), and a third counts
raw-in, curated, quarantined and duplicate rows, which must add up (published per domain; a
mismatch fails the run).

The curated zone is the domain's Apache Iceberg (v2) table in the Glue catalog (Glue 5.0 ships
Iceberg 1.7.1; the job's --datalake-formats and --conf set up the `glue_catalog` Spark catalog,
https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-format-iceberg.html). The batch
goes in with one MERGE INTO on the primary key, bounded to the event days it touches (the batch's
and those where its keys live now, looked up first): newer event wins, deletes through the
domain's operation column, an equal event keeps the table's row. It is one atomic Iceberg commit,
and running it again with the same batch changes nothing.

The run's change set (the batch, deletes included) and its quarantined rows go to the run's own
staging prefix (--staging_path<run id>/). After the MERGE, the commit lists that prefix only,
copies each staged file into place (the change set under --changes_path<run id>/, outside the
table's location, so the table's orphan-file deletion never sees it), writes the COPY manifest of
the placed change set, then in one DynamoDB transaction advances the watermark (on condition it
still holds the value the run started from), records the run (which the warehouse load reads) and
writes the run's commit marker; only then are the staged files deleted. A run first removes what
an uncommitted earlier run left (a crashed attempt that Glue retried under a new run id): its
placed copies, its manifest and its staged files. A crash after the MERGE but before the DynamoDB
commit leaves the merged rows in the table; the retry reads the same hours, merges the same batch
(no change) and commits, so the warehouse still gets the change set. A lifecycle rule expires
anything left under the staging root.

Fails (without advancing the watermark, so the same hours are read again) when the share of rows
failing the contract is above --max_failed_percent, when the batch fails the ruleset, or when the
reconciliation does not add up: nothing is merged then.

Backfill: with --backfill_from and --backfill_to (dates, YYYY-MM-DD, by arrival day) the job
reprocesses the raw hours of that range that regular runs have committed, through the same MERGE:
keys the table lacks are added and newer versions win, a row is never replaced by an older or
equal one, and running it twice changes nothing. Nothing is deleted from the table's files or from
any run's change set, so a backfill needs no wait for pending warehouse loads. The input watermark
is left as it was; the run is recorded like any other, so the next load brings its change set to
the warehouse, where the same rules hold.
"""
import json
import sys
import time
from datetime import date, datetime, timedelta, timezone
from urllib.parse import quote

import boto3
from awsglue.context import GlueContext
from awsglue.dynamicframe import DynamicFrame
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from awsgluedq.transforms import EvaluateDataQuality
from pyspark.context import SparkContext
from pyspark.sql import functions as F

ARGUMENTS = [
    "JOB_NAME",
    "JOB_RUN_ID",
    "domain",
    "source_database",
    "source_table",
    "source_partition_keys",
    "target_database",
    "target_table",
    "target_path",
    "quarantine_partition_keys",
    "changes_path",
    "event_time_column",
    "transform_sql",
    "group_size",
    "dq_ruleset",
    "quarantine_path",
    "max_failed_percent",
    "manifest_prefix",
    "state_table",
    "state_run_partition",
    "state_pending_attribute",
    "state_ttl_days",
    "metrics_namespace",
    "raw_path",
    "staging_path",
    "close_after_seconds",
    "max_hours_per_run",
    "input_watermark_key",
    "commit_marker_partition",
]
# Present only on a backfill run (the backfill state machine passes both).
BACKFILL_ARGUMENTS = ["backfill_from", "backfill_to"]
# A backfill reprocesses at most this many days in one run.
MAX_BACKFILL_DAYS = 366
# The statements of --transform_sql (lib/etl-sql.ts TransformSql, lib/iceberg-merge-sql.ts IcebergMergeSql).
TRANSFORM_STATEMENTS = ["sourceView", "curated", "quarantine", "reconciliation", "batchView", "touchedDays", "merge", "targetDay", "targetNullDay", "columns"]
# The Spark catalog the job's --conf backs with the Glue Data Catalog (Iceberg's GlueCatalog).
ICEBERG_CATALOG = "glue_catalog"
# Column the quarantined rows get: the run that set them aside (lib/etl-sql.ts RUN_ID_COLUMN).
RUN_ID_COLUMN = "_run_id"


def split_list(value):
    return [item.strip() for item in value.split(",") if item.strip()]


def s3_location(url):
    bucket, _, prefix = url[len("s3://"):].partition("/")
    return bucket, prefix


HOUR = 3600
# Raw time partition levels, in path order (lib/layout.ts).
TIME_KEYS = ["year", "month", "day", "hour"]
# Metric names of a run's reconciliation (lib/run-integrity.ts RECONCILIATION_METRICS).
RECONCILIATION_METRICS = {"raw_in": "RawInRecords", "curated": "CuratedRecords", "quarantined": "QuarantinedRecords", "duplicates": "DuplicateRecords", "mismatch": "ReconciliationMismatch"}


def last_closed_hour(now, close_after):
    """The newest closed arrival hour (epoch seconds) at `now` (lib/run-integrity.ts lastClosedHour)."""
    return (int(now - close_after) // HOUR) * HOUR - HOUR


def hours_to_read(last_committed, now, close_after, max_hours, first_hour=None):
    """The closed hours after the watermark, oldest first, at most max_hours (lib/run-integrity.ts hoursToRead)."""
    if max_hours < 1:
        raise ValueError(f"--max_hours_per_run must be a positive integer, got {max_hours}")
    start = last_committed + HOUR if last_committed is not None else first_hour
    if start is None or start % HOUR:
        return []
    last = last_closed_hour(now, close_after)
    hours = []
    while start <= last and len(hours) < max_hours:
        hours.append(start)
        start += HOUR
    return hours


def hour_path(hour):
    """The raw key path of an arrival hour, as Firehose's UTC timestamp prefix writes it."""
    return datetime.fromtimestamp(hour, tz=timezone.utc).strftime("year=%Y/month=%m/day=%d/hour=%H/")


def range_hours(first, last):
    """Every arrival hour of the days first..last (a backfill)."""
    start = int(datetime(first.year, first.month, first.day, tzinfo=timezone.utc).timestamp())
    return [start + n * HOUR for n in range(((last - first).days + 1) * 24)]


def backfill_hours(first, last, watermark):
    """The range's hours that regular runs have committed (at or before the watermark): the later
    ones are theirs to read, so a backfill never reads an hour a regular run will read again."""
    return [hour for hour in range_hours(first, last) if watermark is not None and hour <= watermark]


def list_prefix(s3, bucket, prefix, delimiter=None):
    """Objects (and, with a delimiter, common prefixes) under one prefix."""
    objects, prefixes = [], []
    options = {"Bucket": bucket, "Prefix": prefix, **({"Delimiter": delimiter} if delimiter else {})}
    for page in s3.get_paginator("list_objects_v2").paginate(**options):
        objects.extend(page.get("Contents", []))
        prefixes.extend(p["Prefix"] for p in page.get("CommonPrefixes", []))
    return objects, prefixes


def value_prefixes(s3, raw_path, partition_key):
    """The domain's raw prefixes above the time levels: one per partition-key value (or the domain's own)."""
    bucket, prefix = s3_location(raw_path)
    if not partition_key:
        return [prefix]
    _, prefixes = list_prefix(s3, bucket, prefix, "/")
    return sorted(p for p in prefixes if p[len(prefix):].startswith(f"{partition_key}="))


def first_raw_hour(s3, raw_path, partition_key):
    """The oldest arrival hour under the raw prefix (the domain's first run), walking the smallest
    year, month, day and hour of each partition-key value; None when nothing has landed."""
    bucket, _ = s3_location(raw_path)
    oldest = None
    for prefix in value_prefixes(s3, raw_path, partition_key):
        values = []
        for key in TIME_KEYS:
            _, levels = list_prefix(s3, bucket, prefix, "/")
            levels = sorted(level for level in levels if level[len(prefix):].startswith(f"{key}="))
            if not levels:
                break
            prefix = levels[0]
            values.append(int(prefix.rstrip("/").rsplit("=", 1)[1]))
        if len(values) == len(TIME_KEYS):
            hour = int(datetime(*values, tzinfo=timezone.utc).timestamp())
            oldest = hour if oldest is None else min(oldest, hour)
    return oldest


# Storage classes Glue can list but not read until restored
# (https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-storage-classes.html).
ARCHIVE_CLASSES = ["GLACIER", "DEEP_ARCHIVE"]


def hour_files(s3, raw_path, partition_key, hours):
    """The raw files of the given arrival hours, listed hour prefix by hour prefix (never the whole
    domain), as (partition prefix, objects). An archived file fails the run: skipping it would be
    data lost without a word."""
    bucket, _ = s3_location(raw_path)
    found = []
    for prefix in value_prefixes(s3, raw_path, partition_key):
        for hour in hours:
            objects, _ = list_prefix(s3, bucket, prefix + hour_path(hour))
            objects = [o for o in objects if not any(part.startswith(("_", ".")) for part in o["Key"][len(prefix):].split("/"))]
            archived = [o["Key"] for o in objects if o.get("StorageClass") in ARCHIVE_CLASSES]
            if archived:
                raise RuntimeError(f"{len(archived)} raw file(s) of {prefix + hour_path(hour)} are archived (e.g. s3://{bucket}/{archived[0]}): restore them before this hour is read")
            if objects:
                found.append((prefix + hour_path(hour), objects))
    return found


def partition_values(prefix, keys):
    """The partition values a raw or curated prefix names, in `keys` order."""
    levels = dict(part.split("=", 1) for part in prefix.strip("/").split("/") if "=" in part)
    return [levels[key] for key in keys]


def register_partitions(glue, database, table, bucket, prefixes, keys):
    """Adds the partitions of `prefixes` to a catalog table (those already there are left as they are)."""
    described = glue.get_table(DatabaseName=database, Name=table)["Table"]["StorageDescriptor"]
    inputs = [
        {"Values": partition_values(prefix, keys), "StorageDescriptor": {**described, "Location": f"s3://{bucket}/{prefix}"}}
        for prefix in sorted(set(prefixes))
    ]
    for start in range(0, len(inputs), 100):
        errors = glue.batch_create_partition(DatabaseName=database, TableName=table, PartitionInputList=inputs[start:start + 100]).get("Errors", [])
        failed = [e for e in errors if e.get("ErrorDetail", {}).get("ErrorCode") != "AlreadyExistsException"]
        if failed:
            raise RuntimeError(f"could not register {len(failed)} partition(s) of {database}.{table}: {failed[0]}")


def staging_run_path(args):
    """Where this run stages its files: curated/ and quarantine/ below it (lib/run-integrity.ts runStagingPrefix)."""
    return f"{args['staging_path']}{args['JOB_RUN_ID']}/"


def placed_key(args, run_id, staged_key):
    """Where a staged file goes (lib/run-integrity.ts placedKey): the change set under the run's own
    prefix below --changes_path, quarantined rows below --quarantine_path."""
    _, staging = s3_location(f"{args['staging_path']}{run_id}/")
    rest = staged_key[len(staging):]
    if not staged_key.startswith(staging):
        raise ValueError(f"{staged_key} is not staged by run {run_id}")
    if rest.startswith("changes/"):
        return f"{s3_location(args['changes_path'])[1]}{run_id}/{rest[len('changes/'):]}"
    if rest.startswith("quarantine/"):
        return s3_location(args["quarantine_path"])[1] + rest[len("quarantine/"):]
    raise ValueError(f"{staged_key} is neither changes/ nor quarantine/ below {staging}")


def manifest_url(args, run_id):
    return f"{args['manifest_prefix']}{run_id}.manifest"


def delete_keys(s3, bucket, keys):
    for start in range(0, len(keys), 1000):
        if keys[start:start + 1000]:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": key} for key in keys[start:start + 1000]], "Quiet": True})


def is_committed(args, run_id):
    """Whether a run's commit marker exists (written in its commit transaction)."""
    key = {"pk": {"S": args["commit_marker_partition"]}, "sk": {"S": run_id}}
    return "Item" in boto3.client("dynamodb").get_item(TableName=args["state_table"], Key=key, ConsistentRead=True)


def clean_leftovers(s3, args):
    """Removes what earlier runs left under the staging prefix (lib/run-integrity.ts cleanLeftovers):
    a committed run's staged files; an uncommitted run's placed copies and manifest, then its staged files."""
    bucket, root = s3_location(args["staging_path"])
    _, runs = list_prefix(s3, bucket, root, "/")
    removed = []
    for run_prefix in runs:
        run_id = run_prefix[len(root):].rstrip("/")
        if run_id == args["JOB_RUN_ID"]:
            continue
        staged = [o["Key"] for o in list_prefix(s3, bucket, run_prefix)[0]]
        if not is_committed(args, run_id):
            delete_keys(s3, bucket, [placed_key(args, run_id, key) for key in staged] + [s3_location(manifest_url(args, run_id))[1]])
        delete_keys(s3, bucket, staged)
        removed.append(run_id)
    return removed


def place_output(s3, args):
    """Copies this run's staged files into place (listing its own staging prefix only); returns the
    placed change set as COPY manifest entries and the placed prefixes (changes, quarantine)."""
    bucket, staging = s3_location(staging_run_path(args))
    entries, prefixes = [], {"changes": [], "quarantine": []}
    for item in list_prefix(s3, bucket, staging)[0]:
        rest = item["Key"][len(staging):]
        if any(part.startswith(("_", ".")) for part in rest.split("/")):
            continue
        target = placed_key(args, args["JOB_RUN_ID"], item["Key"])
        s3.copy_object(Bucket=bucket, Key=target, CopySource={"Bucket": bucket, "Key": item["Key"]})
        zone = rest.split("/", 1)[0]
        prefixes[zone].append(target.rsplit("/", 1)[0] + "/")
        if zone == "changes":
            entries.append({"url": f"s3://{bucket}/{quote(target, safe='/=')}", "mandatory": True, "meta": {"content_length": item["Size"]}})
    return entries, prefixes


def resolve_arguments(argv):
    """The job's arguments; the backfill ones only when the run was started with them."""
    present = [name for name in BACKFILL_ARGUMENTS if f"--{name}" in argv]
    return getResolvedOptions(argv, ARGUMENTS + present)


def backfill_range(args):
    """The (first, last) arrival days of a backfill run, or None for a regular run."""
    given = [name for name in BACKFILL_ARGUMENTS if name in args]
    if not given:
        return None
    if len(given) != len(BACKFILL_ARGUMENTS):
        raise ValueError("a backfill needs both --backfill_from and --backfill_to")
    first = date.fromisoformat(args["backfill_from"])
    last = date.fromisoformat(args["backfill_to"])
    if first > last:
        raise ValueError(f"--backfill_from {first} is after --backfill_to {last}")
    if (last - first).days + 1 > MAX_BACKFILL_DAYS:
        raise ValueError(f"a backfill covers at most {MAX_BACKFILL_DAYS} days; split {first}..{last}")
    return first, last


def read_json(url):
    """An S3 object's JSON (a manifest, the transformation's statements)."""
    bucket, key = s3_location(url)
    return json.loads(boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read())


def target_days_predicate(statements, days):
    """The touched days as a predicate over the target's event time (lib/iceberg-merge-sql.ts
    targetDaysPredicate): each day's range in ascending order, then the rows without an event time
    when a day is None, joined with OR; FALSE for no day."""
    dated = sorted({day for day in days if day is not None})
    parts = [statements["targetDay"].replace("{{day}}", day).replace("{{next_day}}", (date.fromisoformat(day) + timedelta(days=1)).isoformat()) for day in dated]
    if None in days:
        parts.append(statements["targetNullDay"])
    return " OR ".join(parts) if parts else "FALSE"


def render_merge(statement, statements, target, days=()):
    """A statement with {{target}} and {{target_days}} substituted (lib/iceberg-merge-sql.ts renderMerge)."""
    return statement.replace("{{target}}", target).replace("{{target_days}}", target_days_predicate(statements, list(days)))


def missing_columns(table_columns, statements):
    """The declared columns (statements["columns"], lib/iceberg-merge-sql.ts) the table lacks, in declared order."""
    present = {name.lower() for name in table_columns}
    return [column for column in statements["columns"] if column["name"].lower() not in present]


def add_missing_columns(spark, statements, target):
    """Adds to the Iceberg table the declared columns it lacks (a contract grew), so the MERGE's
    column lists find them; Iceberg adds a column by id, without rewriting any file."""
    added = missing_columns(spark.table(target).columns, statements)
    if added:
        spark.sql(f"ALTER TABLE {target} ADD COLUMNS ({', '.join(column['name'] + ' ' + column['type'] for column in added)})")
    return added


def merge_batch(spark, statements, target):
    """Merges the batch (registered as statements["batchView"]) into the Iceberg table: first the
    columns the contract added, then the event days it touches (its own and those its keys live in
    now), then the bounded MERGE."""
    add_missing_columns(spark, statements, target)
    days = [row[0].isoformat() if row[0] is not None else None for row in spark.sql(render_merge(statements["touchedDays"], statements, target)).collect()]
    spark.sql(render_merge(statements["merge"], statements, target, days))
    return days


def load_transform(url):
    """The domain's generated statements (lib/etl-sql.ts), uploaded with this script."""
    statements = read_json(url)
    missing = [name for name in TRANSFORM_STATEMENTS if not statements.get(name)]
    if missing:
        raise ValueError(f"{url} lacks the statement(s) {', '.join(missing)}")
    return statements


def check_source_columns(columns, partition_keys):
    """The raw partition columns the statements read (the domain's partition key is a declared
    column, the arrival time orders versions and partitions the quarantined rows)."""
    missing = [key for key in partition_keys if key not in columns]
    if missing:
        raise ValueError(f"the source table lacks the raw partition column(s) {', '.join(missing)} (lib/layout.ts): check its partition keys")


def run_item(args, started, status, **attributes):
    """The run's record in the pipeline state table. A run whose files wait for the warehouse also
    carries the pending attribute, which puts it in the load's sparse index; the sort key starts
    with the (fixed-width) start time, so the load takes pending runs oldest first."""
    item = {
        "pk": {"S": args["state_run_partition"]},
        "sk": {"S": f"{started.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}#{args['JOB_RUN_ID']}"},
        "runId": {"S": args["JOB_RUN_ID"]},
        "status": {"S": status},
        "startedAt": {"S": started.isoformat()},
        "expiresAt": {"N": str(expiry(args))},
    }
    if status == "TRANSFORMED":
        item[args["state_pending_attribute"]] = {"S": args["domain"]}
    for key, value in attributes.items():
        item[key] = {"N": str(value)} if isinstance(value, (int, float)) else {"S": str(value)}
    return item


def expiry(args):
    return int(time.time()) + int(args["state_ttl_days"]) * 86400


def record_run(args, started, status, **attributes):
    """Records a run that commits nothing (no closed hour to read)."""
    boto3.client("dynamodb").put_item(TableName=args["state_table"], Item=run_item(args, started, status, **attributes))


def watermark_key(args):
    pk, sk = args["input_watermark_key"].split("|", 1)
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def read_watermark(args):
    """The last arrival hour committed (epoch seconds), or None before the domain's first commit."""
    current_watermark = boto3.client("dynamodb").get_item(TableName=args["state_table"], Key=watermark_key(args), ConsistentRead=True).get("Item")
    return int(current_watermark["lastHour"]["N"]) if current_watermark and "lastHour" in current_watermark else None


def commit_items(args, record, hours, watermark):
    """The commit transaction: the run record, its commit marker and, for a regular run that read
    hours, the watermark advanced on condition it still holds the value the run started from."""
    table = args["state_table"]
    items = [
        {"Put": {"TableName": table, "Item": record}},
        {"Put": {"TableName": table, "Item": {"pk": {"S": args["commit_marker_partition"]}, "sk": {"S": args["JOB_RUN_ID"]}, "status": record["status"], "expiresAt": {"N": str(expiry(args))}}}},
    ]
    if hours:
        condition = "attribute_not_exists(lastHour)" if watermark is None else "lastHour = :from"
        values = {":hour": {"N": str(hours[-1])}, ":run": {"S": args["JOB_RUN_ID"]}, ":iso": {"S": hour_path(hours[-1])}}
        if watermark is not None:
            values[":from"] = {"N": str(watermark)}
        items.append({"Update": {"TableName": table, "Key": watermark_key(args), "UpdateExpression": "SET lastHour = :hour, lastHourPath = :iso, runId = :run", "ConditionExpression": condition, "ExpressionAttributeValues": values}})
    return items


def commit(args, record, hours, watermark):
    boto3.client("dynamodb").transact_write_items(TransactItems=commit_items(args, record, hours, watermark))


def publish_metrics(args, counts, newest_event_millis=None):
    """The run's reconciliation counts (raw-in, curated, quarantined, duplicates and their mismatch,
    alarmed per domain when not 0) and, when it wrote rows, the age of the newest one: the curated
    zone's freshness, which alarms when it is too old or when no run publishes it (missing data)."""
    dimensions = [{"Name": "Domain", "Value": args["domain"]}]
    data = [{"MetricName": RECONCILIATION_METRICS[name], "Dimensions": dimensions, "Value": counts[name], "Unit": "Count"} for name in RECONCILIATION_METRICS]
    if newest_event_millis is not None:
        age = max(0.0, time.time() - newest_event_millis / 1000.0)
        data.append({"MetricName": "DataAgeSeconds", "Dimensions": dimensions + [{"Name": "Zone", "Value": "curated"}], "Value": age, "Unit": "Seconds"})
    boto3.client("cloudwatch").put_metric_data(Namespace=args["metrics_namespace"], MetricData=data)


def with_partition_columns(frame, keys):
    """The raw rows with their partition columns, read from each row's file path (the job reads
    files, not the catalog): zero-padded strings, as the catalog declares the time levels."""
    path = F.input_file_name()
    for key in keys:
        frame = frame.withColumn(key, F.regexp_extract(path, f"/{key}=([^/]+)/", 1))
    return frame


def main():
    args = resolve_arguments(sys.argv)
    backfill = backfill_range(args)
    started = datetime.now(timezone.utc)
    glue_context = GlueContext(SparkContext.getOrCreate())
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)
    statements = load_transform(args["transform_sql"])
    s3 = boto3.client("s3")
    glue = boto3.client("glue")
    clean_leftovers(s3, args)

    source_keys = split_list(args["source_partition_keys"])
    partition_key = next((key for key in source_keys if key not in TIME_KEYS), "")
    watermark = read_watermark(args)
    if backfill:
        hours = backfill_hours(*backfill, watermark)
    else:
        first = None if watermark is not None else first_raw_hour(s3, args["raw_path"], partition_key)
        hours = hours_to_read(watermark, started.timestamp(), int(args["close_after_seconds"]), int(args["max_hours_per_run"]), first)
    backfilled = {"backfill": f"{backfill[0].isoformat()}..{backfill[1].isoformat()}"} if backfill else {}
    if not hours:
        publish_metrics(args, {name: 0 for name in RECONCILIATION_METRICS})
        record_run(args, started, "EMPTY", rows=0, quarantined=0, **backfilled)
        job.commit()
        return

    raw_bucket, _ = s3_location(args["raw_path"])
    found = hour_files(s3, args["raw_path"], partition_key, hours)
    # Catalog readers see every hour read; the job itself reads the listed files, not the catalog.
    register_partitions(glue, args["source_database"], args["source_table"], raw_bucket, [prefix for prefix, _ in found], source_keys)
    read = {"hours": len(hours), "firstHour": hour_path(hours[0]), "lastHour": hour_path(hours[-1])}
    urls = [f"s3://{raw_bucket}/{o['Key']}" for _, objects in found for o in objects]
    if not urls:
        publish_metrics(args, {name: 0 for name in RECONCILIATION_METRICS})
        commit(args, run_item(args, started, "EMPTY", rows=0, quarantined=0, files=0, manifest="", **read, **backfilled), [] if backfill else hours, watermark)
        job.commit()
        return

    spark = glue_context.spark_session
    frame = with_partition_columns(spark.read.option("mergeSchema", "true").parquet(*urls), source_keys)
    quarantine_keys = split_list(args["quarantine_partition_keys"])
    check_source_columns(frame.columns, source_keys)
    # Every statement scans the raw rows: read them once.
    frame.cache().createOrReplaceTempView(statements["sourceView"])
    curated = spark.sql(statements["curated"]).cache()
    quarantine = spark.sql(statements["quarantine"]).cache()
    reconciled = spark.sql(statements["reconciliation"]).first().asDict()
    counts = {name: int(reconciled[name]) for name in RECONCILIATION_METRICS}
    total = frame.count()
    rows = curated.count()
    quarantined = quarantine.count()
    # The counts of the frames written against the query's: a row lost or counted twice anywhere shows.
    # Published as a size (rows lost or counted twice alike), which the per-domain alarm compares with 0.
    counts["mismatch"] = max(abs(counts["mismatch"]), abs(total - counts["raw_in"]) + abs(rows - counts["curated"]) + abs(quarantined - counts["quarantined"]))
    if counts["mismatch"] != 0:
        publish_metrics(args, counts)
        raise RuntimeError(f"{args['domain']} does not reconcile over {read['firstHour']}..{read['lastHour']}: {counts}; nothing is committed, so the hours are read again")

    staging = staging_run_path(args)
    if quarantined > 0:
        quarantine.withColumn(RUN_ID_COLUMN, F.lit(args["JOB_RUN_ID"])).write.mode("append").partitionBy(*quarantine_keys).parquet(f"{staging}quarantine/")
    failed_percent = 100.0 * quarantined / total
    failure = None
    if failed_percent > float(args["max_failed_percent"]):
        failure = (
            f"{quarantined} of {total} rows ({failed_percent:.2f} %) fail the {args['domain']} contract, above {args['max_failed_percent']} %: "
            f"see {args['quarantine_path']}; the watermark is not advanced, so the hours are read again"
        )
    else:
        # The batch against the table's ruleset (the same contract, lib/etl-sql.ts): the row rules hold by
        # construction, the dataset rules (a unique key, some rows) are judged here, and the results are published.
        ruleset = glue.get_data_quality_ruleset(Name=args["dq_ruleset"])["Ruleset"]
        outcomes = EvaluateDataQuality.apply(
            frame=DynamicFrame.fromDF(curated, glue_context, "batch_rows"),
            ruleset=ruleset,
            publishing_options={
                "dataQualityEvaluationContext": args["dq_ruleset"],
                "enableDataQualityCloudWatchMetrics": True,
                "enableDataQualityResultsPublishing": True,
            },
        )
        failed_rules = [f"{r['Rule']} ({r['FailureReason']})" for r in outcomes.toDF().collect() if r["Outcome"] != "Passed"]
        if failed_rules:
            failure = f"the batch fails ruleset {args['dq_ruleset']}: {'; '.join(failed_rules)}; the watermark is not advanced, so the hours are read again"
    if failure:
        # The quarantined rows stay inspectable (each carries its run id); the watermark stays where it was.
        publish_metrics(args, counts)
        place_output(s3, args)
        commit(args, run_item(args, started, "FAILED_QUALITY", rows=total, quarantined=quarantined, **read, **backfilled), [], watermark)
        delete_keys(s3, s3_location(staging)[0], [o["Key"] for o in list_prefix(s3, *s3_location(staging))[0]])
        raise RuntimeError(failure)

    # The change set the warehouse load copies: the batch, deletes included, in declared column order.
    curated.write.mode("append").option("compression", "snappy").parquet(f"{staging}changes/")
    # The newest event this run wrote: the curated zone's high-water mark, and the warehouse's once loaded.
    # A backfill's newest row says nothing of the zone's freshness: only regular runs publish it.
    newest_event_millis = None if backfill else curated.agg(F.expr(f"max(unix_millis({args['event_time_column']}))")).first()[0]

    curated.createOrReplaceTempView(statements["batchView"])
    if rows > 0:
        merge_batch(spark, statements, f"{ICEBERG_CATALOG}.{args['target_database']}.{args['target_table']}")
    entries, _ = place_output(s3, args)
    curated_bucket, _ = s3_location(args["target_path"])
    manifest = manifest_url(args, args["JOB_RUN_ID"])
    if entries:
        bucket, key = s3_location(manifest)
        s3.put_object(Bucket=bucket, Key=key, Body=json.dumps({"entries": entries}).encode("utf-8"), ContentType="application/json")
    newest = {"newestEventMillis": int(newest_event_millis)} if entries and newest_event_millis is not None else {}
    record = run_item(args, started, "TRANSFORMED" if entries else "EMPTY", rows=rows, quarantined=quarantined, duplicates=counts["duplicates"], files=len(entries), manifest=manifest if entries else "", **newest, **read, **backfilled)
    commit(args, record, [] if backfill else hours, watermark)
    publish_metrics(args, counts, newest_event_millis)
    delete_keys(s3, curated_bucket, [o["Key"] for o in list_prefix(s3, *s3_location(staging))[0]])
    job.commit()


if __name__ == "__main__":
    main()
