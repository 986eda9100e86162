import type * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../config/loader";
import type { GovernanceModel } from "../../lib/governance";
import type { GlueCatalog } from "../catalog";
import type { SparkEtlJobs } from "../etl";
import type { LakeGovernance } from "../governance";
import type { PlatformKeys } from "../kms";
import type { DataLake } from "../lake";
import type { AlertTopic, AuditTrail, PlatformAlarms } from "../monitoring";
import type { PlatformVpc, VpcEndpoints, VpcFlowLogs } from "../network";
import type { AthenaWorkgroups } from "../query";
import type { BackfillPipeline, IngestionQueue, WarehouseLoadPipeline } from "../orchestration";
import type { FirehoseDelivery, KinesisStream, MskCluster, MskServerlessCluster } from "../streaming";
import { RedshiftCluster, type RedshiftServerlessWarehouse } from "../warehouse";

/** The parts of a platform its outputs are read from. */
export interface PlatformParts {
    /** The environment's configuration. */
    config: PlatformConfig;
    /** The network. */
    vpc: PlatformVpc;
    /** The VPC endpoints. */
    endpoints: VpcEndpoints;
    /** The VPC flow logs. */
    flowLogs: VpcFlowLogs;
    /** The platform keys. */
    keys: PlatformKeys;
    /** The lake buckets. */
    lake: DataLake;
    /** Kinesis streams and their Firehose deliveries, by domain. */
    streams: { domain: string; stream: KinesisStream; delivery: FirehoseDelivery }[];
    /** Every domain's Firehose delivery into the raw zone (Kinesis and MSK sources). */
    deliveries: { domain: string; delivery: FirehoseDelivery }[];
    /** The MSK cluster, provisioned or Serverless, when the environment has one. */
    kafka?: MskCluster | MskServerlessCluster;
    /** The Glue catalog. */
    catalog: GlueCatalog;
    /** The Spark ETL jobs. */
    etl: SparkEtlJobs;
    /** The warehouse, provisioned or Serverless. */
    warehouse: RedshiftCluster | RedshiftServerlessWarehouse;
    /** The warehouse load pipeline. */
    pipeline: WarehouseLoadPipeline;
    /** The on-demand backfill state machine. */
    backfill: BackfillPipeline;
    /** The ingestion queue. */
    queue: IngestionQueue;
    /** The critical alert topic (data stops or is lost): the one paging tools subscribe to. */
    alerts: AlertTopic;
    /** The warning-severity topic. */
    warnings: AlertTopic;
    /** The alarms and dashboard. */
    alarms: PlatformAlarms;
    /** The audit trail, when the environment has one. */
    trail?: AuditTrail;
    /** Lake Formation governance. */
    governance: LakeGovernance;
    /** The governance model it deployed. */
    model: GovernanceModel;
    /** The personas' Athena workgroups and their policies. */
    query: AthenaWorkgroups;
}

/** What a platform exports, one stack output per key. Secrets (the admin password) are never among them. */
export type PlatformOutputs = ReturnType<typeof platformOutputs>;

/**
 * The stack outputs of a platform: identifiers operators and other stacks need (network ids,
 * key ARNs, bucket and stream names, the warehouse endpoint, the state machine), never secrets.
 */
export function platformOutputs(p: PlatformParts) {
    const { config } = p;
    return {
        environment: config.environment,
        region: config.region,
        network: {
            vpcId: p.vpc.vpcId,
            privateSubnetIds: p.vpc.private.subnetIds,
            isolatedSubnetIds: p.vpc.isolated.subnetIds,
            s3GatewayEndpointId: p.endpoints.s3GatewayEndpointId,
            interfaceEndpoints: Object.keys(p.endpoints.interfaceEndpointIds),
            flowLogGroup: p.flowLogs.logGroupName,
        },
        kmsKeys: {
            lake: p.keys.keys.lake.arn,
            streaming: p.keys.keys.streaming.arn,
            warehouse: p.keys.keys.warehouse.arn,
            operations: p.keys.keys.operations.arn,
        },
        lakeBuckets: {
            raw: p.lake.zones.raw.name,
            curated: p.lake.zones.curated.name,
            analytics: p.lake.zones.analytics.name,
            accessLogs: p.lake.accessLogs.name,
        },
        streaming: {
            kinesisStreams: Object.fromEntries(p.streams.map((s) => [s.domain, { name: s.stream.streamName, arn: s.stream.arn }])),
            firehoseDeliveryStreams: Object.fromEntries(p.deliveries.map((s) => [s.domain, s.delivery.deliveryStreamName])),
            msk: p.kafka ? { arn: p.kafka.arn, bootstrapBrokersSaslIam: p.kafka.bootstrapBrokersSaslIam, mode: config.streaming.msk.mode } : undefined,
        },
        glue: {
            databases: p.catalog.databases,
            jobs: p.etl.jobNames,
            dataQualityRulesets: p.etl.rulesetNames,
            securityConfiguration: p.catalog.securityConfigurationName,
        },
        warehouseEndpoint: warehouseEndpoint(p.warehouse),
        orchestration: {
            stateMachineArn: p.pipeline.stateMachineArn,
            schedule: p.pipeline.scheduleName,
            backfillStateMachineArn: p.backfill.stateMachineArn,
            ingestionQueueUrl: p.queue.queueUrl,
            deadLetterQueueArn: p.queue.deadLetterQueueArn,
        },
        monitoring: { alertTopicArn: p.alerts.topicArn, warningTopicArn: p.warnings.topicArn, dashboardName: p.alarms.dashboardName, auditTrailArn: p.trail?.trailArn },
        sizing: config.sizes,
        lakeFormationGovernance: {
            administrators: config.governance.administrators,
            registrationRoleArn: p.governance.registrationRoleArn,
            lfTags: p.model.tags,
            grants: p.model.tagGrants.length + p.model.locationGrants.length,
        },
        // Per persona: the workgroup to query in, where its results land, and the policy to attach
        // to its roles where the stack does not (lakehouse:query.attachPolicies).
        queryPaths: Object.fromEntries(
            Object.entries(p.query.personas).map(([persona, path]) => [persona, { workgroup: path.workgroupName, outputLocation: path.outputLocation, policyArn: path.policyArn }]),
        ),
    };
}

/** Where clients connect to the warehouse, and the ARN of the secret holding its admin password. */
function warehouseEndpoint(warehouse: RedshiftCluster | RedshiftServerlessWarehouse): Record<string, pulumi.Input<string> | undefined> {
    return warehouse instanceof RedshiftCluster
        ? { mode: "provisioned", endpoint: warehouse.endpoint, clusterIdentifier: warehouse.clusterIdentifier, adminSecretArn: warehouse.adminSecretArn }
        : { mode: "serverless", endpoint: warehouse.endpoint, workgroup: warehouse.workgroupName, adminSecretArn: warehouse.adminSecretArn };
}
