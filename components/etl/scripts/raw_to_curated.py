"""Raw -> curated Spark job of the lakehouse blueprint.

Reads the new raw-zone partitions of one domain (job bookmarks remember what was processed),
groups small files into ~128 MB reads and runs the domain's transformation: SQL generated at deploy
time from the domain's declared contract (lib/etl-sql.ts), uploaded next to this script and named by
--transform_sql. Over a temporary view of the raw rows, one statement splits off the rows failing
the contract (quarantined with the rules they fail) and another keeps, of the valid rows, the latest
version of each primary key, typed and ordered as declared. This wrapper only moves frames: it
evaluates the domain's Data Quality ruleset on the curated rows (publishing the results), writes
them as Snappy Parquet in the curated layout, updating the catalog table, lists exactly the files
this run wrote in a COPY manifest and records the run in the pipeline state table, which is what
the warehouse load reads: nothing is loaded twice and nothing between runs is missed.

Fails (without committing its bookmark, so the same input is retried) when the share of rows
failing the contract is above --max_failed_percent, or when the curated rows fail the ruleset.

Backfill: with --backfill_from and --backfill_to (dates, YYYY-MM-DD, by arrival day) and
--job-bookmark-option job-bookmark-disable, the job reprocesses exactly the raw partitions of that
range instead of the new ones: it deletes the range's curated partitions and writes them again, so
running it twice leaves the same files, and the regular runs' bookmark is left as it was. It refuses
to delete a file that the manifest of a run still waiting for the warehouse load lists (that load
would fail, and every later one of the domain with it). The run is recorded like any other, so the
next load brings the range to the warehouse, where the later event of a row wins.
"""
import json
import sys
import time
from datetime import date, datetime, timedelta, timezone

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
    "target_partition_keys",
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
    "state_pending_index",
    "state_ttl_days",
    "metrics_namespace",
]
# Present only on a backfill run (the backfill state machine passes both).
BACKFILL_ARGUMENTS = ["backfill_from", "backfill_to"]
# A backfill reprocesses at most this many days in one run.
MAX_BACKFILL_DAYS = 366
# The statements of --transform_sql (lib/etl-sql.ts TransformSql).
TRANSFORM_STATEMENTS = ["sourceView", "curated", "quarantine"]
# Column the quarantined rows get: the run that set them aside (lib/etl-sql.ts RUN_ID_COLUMN).
RUN_ID_COLUMN = "_run_id"


def split_list(value):
    return [item.strip() for item in value.split(",") if item.strip()]


def s3_location(url):
    bucket, _, prefix = url[len("s3://"):].partition("/")
    return bucket, prefix


def written_objects(s3, target_path, since):
    """Data files under the target written at or after `since` (hidden `_` paths excluded)."""
    bucket, prefix = s3_location(target_path)
    objects = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            relative = item["Key"][len(prefix):]
            if any(part.startswith("_") or part.startswith(".") for part in relative.split("/")):
                continue
            if item["LastModified"] >= since:
                objects.append({"url": f"s3://{bucket}/{item['Key']}", "mandatory": True, "meta": {"content_length": item["Size"]}})
    return objects


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


def range_predicate(first, last):
    """Partition predicate of the raw arrival days first..last (Firehose writes zero-padded values)."""
    day = "concat(year, '-', month, '-', day)"
    return f"{day} >= '{first.isoformat()}' AND {day} <= '{last.isoformat()}'"


def range_days(first, last):
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def range_prefixes(target_path, first, last):
    """The curated partitions of the arrival days first..last."""
    return [f"{target_path}year={day:%Y}/month={day:%m}/day={day:%d}/" for day in range_days(first, last)]


def purge_range(glue_context, target_path, first, last):
    """Deletes the curated partitions of the range, so that writing them again replaces them."""
    for prefix in range_prefixes(target_path, first, last):
        glue_context.purge_s3_path(prefix, {"retentionPeriod": 0})


def files_in_range(urls, target_path, first, last):
    """The files among `urls` that purging the range would delete."""
    prefixes = range_prefixes(target_path, first, last)
    return [url for url in urls if any(url.startswith(prefix) for prefix in prefixes)]


def pending_runs(args):
    """The domain's runs whose files wait for the warehouse load (the state table's sparse index)."""
    dynamodb = boto3.client("dynamodb")
    request = {
        "TableName": args["state_table"],
        "IndexName": args["state_pending_index"],
        "KeyConditionExpression": "#pending = :domain",
        "ExpressionAttributeNames": {"#pending": args["state_pending_attribute"]},
        "ExpressionAttributeValues": {":domain": {"S": args["domain"]}},
    }
    runs = []
    while True:
        page = dynamodb.query(**request)
        runs.extend(page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            return runs
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def read_json(url):
    """An S3 object's JSON (a manifest, the transformation's statements)."""
    bucket, key = s3_location(url)
    return json.loads(boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read())


def guard_purge(args, first, last):
    """Refuses to purge the range while a run pending load lists a file in it: its COPY would fail
    (a manifest entry is mandatory), and loads go oldest first, one at a time, so every later load
    of the domain would fail behind it."""
    for run in pending_runs(args):
        manifest = run.get("manifest", {}).get("S", "")
        if not manifest:
            continue
        listed = files_in_range([entry["url"] for entry in read_json(manifest)["entries"]], args["target_path"], first, last)
        if listed:
            raise RuntimeError(
                f"refusing to purge {first.isoformat()}..{last.isoformat()} of {args['target_path']}: run {run.get('runId', {}).get('S', '?')} "
                f"waits for the warehouse load and its manifest {manifest} lists {len(listed)} file(s) in the range (e.g. {listed[0]}); "
                "run the backfill again once the load has loaded it"
            )


def load_transform(url):
    """The domain's generated statements (lib/etl-sql.ts), uploaded with this script."""
    statements = read_json(url)
    missing = [name for name in TRANSFORM_STATEMENTS if not statements.get(name)]
    if missing:
        raise ValueError(f"{url} lacks the statement(s) {', '.join(missing)}")
    return statements


def check_source_columns(columns, partition_keys):
    """The raw partition columns the statements read (the domain's partition key is a declared
    column, the arrival time orders versions and partitions the curated rows)."""
    missing = [key for key in partition_keys if key not in columns]
    if missing:
        raise ValueError(f"the source table lacks the raw partition column(s) {', '.join(missing)} (lib/layout.ts): check its partition keys")


def record_run(args, started, status, **attributes):
    """The run's record in the pipeline state table. A run whose files wait for the warehouse also
    carries the pending attribute, which puts it in the load's sparse index; the sort key starts
    with the (fixed-width) start time, so the load takes pending runs oldest first."""
    ttl = int(time.time()) + int(args["state_ttl_days"]) * 86400
    item = {
        "pk": {"S": args["state_run_partition"]},
        "sk": {"S": f"{started.strftime('%Y-%m-%dT%H:%M:%S.%fZ')}#{args['JOB_RUN_ID']}"},
        "runId": {"S": args["JOB_RUN_ID"]},
        "status": {"S": status},
        "startedAt": {"S": started.isoformat()},
        "expiresAt": {"N": str(ttl)},
    }
    if status == "TRANSFORMED":
        item[args["state_pending_attribute"]] = {"S": args["domain"]}
    for key, value in attributes.items():
        item[key] = {"N": str(value)} if isinstance(value, (int, float)) else {"S": str(value)}
    boto3.client("dynamodb").put_item(TableName=args["state_table"], Item=item)


def publish_metrics(args, rows, quarantined, newest_event_millis=None):
    """The run's counts and, when it wrote rows, the age of the newest one: the curated zone's
    freshness, which alarms when it is too old or when no run publishes it (missing data)."""
    dimensions = [{"Name": "Domain", "Value": args["domain"]}]
    data = [
        {"MetricName": "CuratedRecords", "Dimensions": dimensions, "Value": rows, "Unit": "Count"},
        {"MetricName": "QuarantinedRecords", "Dimensions": dimensions, "Value": quarantined, "Unit": "Count"},
    ]
    if newest_event_millis is not None:
        age = max(0.0, time.time() - newest_event_millis / 1000.0)
        data.append({"MetricName": "DataAgeSeconds", "Dimensions": dimensions + [{"Name": "Zone", "Value": "curated"}], "Value": age, "Unit": "Seconds"})
    boto3.client("cloudwatch").put_metric_data(Namespace=args["metrics_namespace"], MetricData=data)


# Storage classes Glue can list but not read until restored; reading one fails the run
# (https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-storage-classes.html).
ARCHIVE_CLASSES = ["GLACIER", "DEEP_ARCHIVE"]


def source_options(args, backfill):
    """Reader options of the raw source. A regular run skips archived objects: the lifecycle archives
    raw files long after the bookmark passed them, and listing them must not fail the run. A backfill
    does not: it deletes and rewrites its curated range, so an archived file it skipped would be data
    lost without a word; it fails instead (npm run backfill refuses such ranges up front)."""
    options = {"groupFiles": "inPartition", "groupSize": args["group_size"]}
    if not backfill:
        options["excludeStorageClasses"] = ARCHIVE_CLASSES
    return options


def main():
    args = resolve_arguments(sys.argv)
    backfill = backfill_range(args)
    started = datetime.now(timezone.utc)
    glue_context = GlueContext(SparkContext.getOrCreate())
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)
    statements = load_transform(args["transform_sql"])

    # A backfill reads its range (its bookmark option is disabled by the caller); a regular run the new partitions.
    source = glue_context.create_dynamic_frame.from_catalog(
        database=args["source_database"],
        table_name=args["source_table"],
        transformation_ctx="raw_source",
        additional_options=source_options(args, backfill),
        **({"push_down_predicate": range_predicate(*backfill)} if backfill else {}),
    )
    backfilled = {"backfill": f"{backfill[0].isoformat()}..{backfill[1].isoformat()}"} if backfill else {}
    frame = source.toDF()
    if frame.rdd.isEmpty():
        record_run(args, started, "EMPTY", rows=0, quarantined=0, **backfilled)
        publish_metrics(args, 0, 0)
        job.commit()
        return

    target_keys = split_list(args["target_partition_keys"])
    check_source_columns(frame.columns, split_list(args["source_partition_keys"]))
    # Both statements scan the raw rows: read them once.
    frame.cache().createOrReplaceTempView(statements["sourceView"])
    spark = glue_context.spark_session
    curated = spark.sql(statements["curated"]).cache()
    quarantine = spark.sql(statements["quarantine"]).cache()
    total = frame.count()
    rows = curated.count()
    quarantined = quarantine.count()

    if quarantined > 0:
        quarantine.withColumn(RUN_ID_COLUMN, F.lit(args["JOB_RUN_ID"])).write.mode("append").partitionBy(*target_keys).parquet(args["quarantine_path"])
    failed_percent = 100.0 * quarantined / total
    if failed_percent > float(args["max_failed_percent"]):
        publish_metrics(args, rows, quarantined)
        record_run(args, started, "FAILED_QUALITY", rows=total, quarantined=quarantined, **backfilled)
        raise RuntimeError(
            f"{quarantined} of {total} rows ({failed_percent:.2f} %) fail the {args['domain']} contract, above {args['max_failed_percent']} %: "
            f"see {args['quarantine_path']}; the bookmark is not committed, so the input is retried"
        )

    # The curated rows against the table's ruleset (the same contract, lib/etl-sql.ts): the row rules hold by
    # construction, the dataset rules (a unique key, some rows) are judged here, and the results are published.
    ruleset = boto3.client("glue").get_data_quality_ruleset(Name=args["dq_ruleset"])["Ruleset"]
    outcomes = EvaluateDataQuality.apply(
        frame=DynamicFrame.fromDF(curated, glue_context, "curated_rows"),
        ruleset=ruleset,
        publishing_options={
            "dataQualityEvaluationContext": args["dq_ruleset"],
            "enableDataQualityCloudWatchMetrics": True,
            "enableDataQualityResultsPublishing": True,
        },
    )
    failed_rules = [f"{r['Rule']} ({r['FailureReason']})" for r in outcomes.toDF().collect() if r["Outcome"] != "Passed"]
    if failed_rules:
        publish_metrics(args, rows, quarantined)
        record_run(args, started, "FAILED_QUALITY", rows=total, quarantined=quarantined, **backfilled)
        raise RuntimeError(f"the curated rows fail ruleset {args['dq_ruleset']}: {'; '.join(failed_rules)}; the bookmark is not committed, so the input is retried")

    if backfill:
        guard_purge(args, *backfill)
        purge_range(glue_context, args["target_path"], *backfill)
    sink = glue_context.getSink(
        connection_type="s3",
        path=args["target_path"],
        enableUpdateCatalog=True,
        updateBehavior="UPDATE_IN_DATABASE",
        partitionKeys=target_keys,
        transformation_ctx="curated_sink",
    )
    sink.setFormat("glueparquet", compression="snappy")
    sink.setCatalogInfo(catalogDatabase=args["target_database"], catalogTableName=args["target_table"])
    sink.writeFrame(DynamicFrame.fromDF(curated, glue_context, "curated"))

    # The newest event this run wrote: the curated zone's high-water mark, and the warehouse's once loaded.
    # A backfill's newest row says nothing of the zone's freshness: only regular runs publish it.
    newest_event_millis = None if backfill else curated.agg(F.expr(f"max(unix_millis({args['event_time_column']}))")).first()[0]
    publish_metrics(args, rows, quarantined, newest_event_millis)

    s3 = boto3.client("s3")
    entries = written_objects(s3, args["target_path"], started)
    manifest = f"{args['manifest_prefix']}{args['JOB_RUN_ID']}.manifest"
    if entries:
        bucket, key = s3_location(manifest)
        s3.put_object(Bucket=bucket, Key=key, Body=json.dumps({"entries": entries}).encode("utf-8"), ContentType="application/json")
    newest = {"newestEventMillis": int(newest_event_millis)} if entries and newest_event_millis is not None else {}
    record_run(args, started, "TRANSFORMED" if entries else "EMPTY", rows=rows, quarantined=quarantined, files=len(entries), manifest=manifest if entries else "", **newest, **backfilled)
    job.commit()


if __name__ == "__main__":
    main()
