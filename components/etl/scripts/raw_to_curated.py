"""Raw -> curated Spark job of the lakehouse blueprint.

Reads the new raw-zone partitions of one domain (job bookmarks remember what was processed),
groups small files into ~128 MB reads, keeps the latest record per primary key, and writes
Snappy Parquet partitioned by year/month/day to the curated zone, updating the catalog table.
"""
import sys

from awsglue.context import GlueContext
from awsglue.dynamicframe import DynamicFrame
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from pyspark.sql import Window
from pyspark.sql import functions as F

args = getResolvedOptions(
    sys.argv,
    [
        "JOB_NAME",
        "source_database",
        "source_table",
        "target_database",
        "target_table",
        "target_path",
        "primary_key",
        "event_time_column",
        "group_size",
    ],
)

glue_context = GlueContext(SparkContext.getOrCreate())
job = Job(glue_context)
job.init(args["JOB_NAME"], args)

source = glue_context.create_dynamic_frame.from_catalog(
    database=args["source_database"],
    table_name=args["source_table"],
    transformation_ctx="raw_source",
    additional_options={"groupFiles": "inPartition", "groupSize": args["group_size"]},
)

if source.count() > 0:
    keys = [k.strip() for k in args["primary_key"].split(",") if k.strip()]
    event_time = args["event_time_column"]
    frame = source.toDF()
    latest_first = Window.partitionBy(*keys).orderBy(F.col(event_time).desc_nulls_last())
    deduplicated = (
        frame.withColumn("_rank", F.row_number().over(latest_first))
        .filter(F.col("_rank") == 1)
        .drop("_rank", "hour")
    )

    sink = glue_context.getSink(
        connection_type="s3",
        path=args["target_path"],
        enableUpdateCatalog=True,
        updateBehavior="UPDATE_IN_DATABASE",
        partitionKeys=["year", "month", "day"],
        transformation_ctx="curated_sink",
    )
    sink.setFormat("glueparquet", compression="snappy")
    sink.setCatalogInfo(catalogDatabase=args["target_database"], catalogTableName=args["target_table"])
    sink.writeFrame(DynamicFrame.fromDF(deduplicated, glue_context, "curated"))

job.commit()
