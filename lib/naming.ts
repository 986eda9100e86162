/**
 * Physical names of the platform, defined once: the components create resources with them, and
 * the cost usage model, the drift audit and the CLI find those resources by them.
 */

/** Project name used as the first part of every physical name. */
export const PROJECT = "lakehouse";

/** `lakehouse-<environment>`: the prefix of logical and physical names in one environment. */
export function namePrefix(environment: string): string {
    return `${PROJECT}-${environment}`;
}

/** Globally unique name of a lake bucket: `<prefix>-<zone>-<account>-<region>` (at most 63 characters). */
export function lakeBucketName(prefix: string, zone: string, accountId: string, region: string): string {
    return `${prefix}-${zone}-${accountId}-${region}`;
}

/** Name of a Kinesis domain's data stream, `<prefix>-<domain>`. */
export function kinesisStreamName(prefix: string, domain: string): string {
    return `${prefix}-${domain}`;
}

/** Name of the Firehose delivery stream that lands a domain in the raw zone, `<prefix>-<domain>-to-raw`. */
export function rawDeliveryStreamName(prefix: string, domain: string): string {
    return `${prefix}-${domain}-to-raw`;
}

/** The Kafka topic a domain's producers write and Firehose reads: the domain's name. */
export function kafkaTopicName(domain: string): string {
    return domain;
}

/** Name of a domain's raw → curated Glue job, `<prefix>-<domain>-raw-to-curated`. */
export function etlJobName(prefix: string, domain: string): string {
    return `${prefix}-${domain}-raw-to-curated`;
}

/** Name of the backfill state machine, `<prefix>-backfill`, which `npm run backfill` starts. */
export function backfillStateMachineName(prefix: string): string {
    return `${prefix}-backfill`;
}

/** `/lakehouse/<env>`: the root of the platform's own log groups. */
export function logGroupRoot(prefix: string): string {
    return `/${prefix.replace("-", "/")}`;
}

/**
 * The physical-name inputs of the resource types the platform creates, with AWS's length limit
 * for each (Service Quotas and API references). A test plans the platform with the longest
 * environment and domain names the schema accepts and checks every name against this table.
 */
export const NAME_LIMITS: Record<string, { property: string; limit: number }> = {
    "aws:iam/role:Role": { property: "name", limit: 64 },
    "aws:iam/rolePolicy:RolePolicy": { property: "name", limit: 128 },
    "aws:iam/policy:Policy": { property: "name", limit: 128 },
    "aws:s3/bucket:Bucket": { property: "bucket", limit: 63 },
    "aws:kinesis/stream:Stream": { property: "name", limit: 128 },
    "aws:kinesis/streamConsumer:StreamConsumer": { property: "name", limit: 128 },
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": { property: "name", limit: 64 },
    "aws:glue/job:Job": { property: "name", limit: 255 },
    "aws:glue/crawler:Crawler": { property: "name", limit: 255 },
    "aws:glue/catalogDatabase:CatalogDatabase": { property: "name", limit: 255 },
    "aws:glue/catalogTable:CatalogTable": { property: "name", limit: 255 },
    "aws:glue/dataQualityRuleset:DataQualityRuleset": { property: "name", limit: 255 },
    "aws:glue/securityConfiguration:SecurityConfiguration": { property: "name", limit: 255 },
    "aws:glue/connection:Connection": { property: "name", limit: 255 },
    "aws:msk/cluster:Cluster": { property: "clusterName", limit: 64 },
    "aws:msk/serverlessCluster:ServerlessCluster": { property: "clusterName", limit: 64 },
    "aws:msk/configuration:Configuration": { property: "name", limit: 64 },
    "aws:redshift/cluster:Cluster": { property: "clusterIdentifier", limit: 63 },
    "aws:redshift/subnetGroup:SubnetGroup": { property: "name", limit: 255 },
    "aws:redshift/parameterGroup:ParameterGroup": { property: "name", limit: 255 },
    "aws:redshiftserverless/namespace:Namespace": { property: "namespaceName", limit: 64 },
    "aws:redshiftserverless/workgroup:Workgroup": { property: "workgroupName", limit: 64 },
    "aws:sfn/stateMachine:StateMachine": { property: "name", limit: 80 },
    "aws:scheduler/schedule:Schedule": { property: "name", limit: 64 },
    "aws:sqs/queue:Queue": { property: "name", limit: 80 },
    "aws:sns/topic:Topic": { property: "name", limit: 256 },
    "aws:cloudwatch/logGroup:LogGroup": { property: "name", limit: 512 },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { property: "name", limit: 255 },
    "aws:cloudwatch/dashboard:Dashboard": { property: "dashboardName", limit: 255 },
    "aws:cloudwatch/eventRule:EventRule": { property: "name", limit: 64 },
    "aws:cloudtrail/trail:Trail": { property: "name", limit: 128 },
    "aws:kms/alias:Alias": { property: "name", limit: 256 },
    "aws:lakeformation/dataCellsFilter:DataCellsFilter": { property: "tableData.name", limit: 255 },
    "aws:appautoscaling/policy:Policy": { property: "name", limit: 256 },
    "aws:lambda/function:Function": { property: "name", limit: 64 },
    "aws:dynamodb/table:Table": { property: "name", limit: 255 },
};

/** Longest names the schema accepts: what the name-limit checks are run with. */
export const LONGEST_ENVIRONMENT = 15;
export const LONGEST_DOMAIN = 31;

/**
 * Names built from a domain's name that come closest to an AWS limit, so the schema can refuse a
 * domain whose names cannot fit, naming the key. (A test checks every created name.)
 */
export function domainNames(prefix: string, domain: string): { what: string; name: string; limit: number }[] {
    return [
        { what: "Firehose delivery role", name: `${prefix}-firehose-${domain}`, limit: NAME_LIMITS["aws:iam/role:Role"].limit },
        { what: "Firehose delivery stream", name: rawDeliveryStreamName(prefix, domain), limit: NAME_LIMITS["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"].limit },
    ];
}
