/**
 * The lakehouse program: reads the stack's validated configuration and composes the components.
 * Environments differ only in `stacks/Pulumi.<stack>.yaml`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GlueCatalog } from "./components/catalog";
import { SparkEtlJobs } from "./components/etl";
import { LakeFormationSettings, LakeGovernance } from "./components/governance";
import { PlatformKeys } from "./components/kms";
import { DataLake } from "./components/lake";
import { AlertTopic, AuditTrail, PlatformAlarms, trailBucketStatements } from "./components/monitoring";
import { PlatformVpc, VpcEndpoints, VpcFlowLogs } from "./components/network";
import { IngestionQueue, type LoadTarget, WarehouseLoadPipeline } from "./components/orchestration";
import { FirehoseDelivery, KinesisStream, MskCluster, MskServerlessCluster } from "./components/streaming";
import { RedshiftCluster, RedshiftServerlessWarehouse } from "./components/warehouse";
import { type AccountContext, namePrefix } from "./components/shared/naming";
import { platformTags } from "./components/shared/tags";
import { governanceInput } from "./config/governance";
import { loadPlatformConfig } from "./config/loader";
import { DeclaredResources } from "./cost/collector";
import { databaseName, GOVERNED_ZONES, governanceModel, type ServiceRole, serviceRoleName, tableName } from "./lib/governance";
import type { UsageProfile } from "./cost/estimator";
import { DAYS_PER_MONTH } from "./cost/prices";

// Validation happens here, before the first resource is registered.
const config = loadPlatformConfig();
const prefix = namePrefix(config.environment);
/** `/lakehouse/<env>`: the root of the platform's own log groups. */
const logGroupRoot = `/${prefix.replace("-", "/")}`;
// Captures every declared resource for the cost estimate; must precede the first resource.
const declared = new DeclaredResources();

const provider = new aws.Provider(`aws-${config.environment}`, {
    region: config.region as aws.Region,
    defaultTags: { tags: platformTags(config.environment, config.tags) },
});
const inEnvironment: pulumi.ComponentResourceOptions = { providers: [provider] };

const identity = aws.getCallerIdentityOutput({}, { provider });
const partition = aws.getPartitionOutput({}, { provider });
const account: AccountContext = { accountId: identity.accountId, partition: partition.partition, region: config.region };

const availabilityZones = aws
    .getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, { provider })
    .names.apply((names) => {
        if (names.length < config.network.azCount) {
            throw new pulumi.RunError(
                `lakehouse:network.azCount: got ${config.network.azCount}; Region ${config.region} offers only ${names.length} Availability Zones`,
            );
        }
        return [...names].sort().slice(0, config.network.azCount);
    });

const keys = new PlatformKeys(
    prefix,
    { namePrefix: prefix, account, deletionWindowDays: config.keys.deletionWindowDays, protection: config.protection },
    inEnvironment,
);

const vpc = new PlatformVpc(
    prefix,
    {
        namePrefix: prefix,
        cidrBlock: config.network.vpcCidr,
        availabilityZones: Array.from({ length: config.network.azCount }, (_, i) => availabilityZones.apply((names) => names[i])),
        natStrategy: config.network.natStrategy,
    },
    inEnvironment,
);

const endpoints = new VpcEndpoints(
    `${prefix}-endpoints`,
    {
        vpcId: vpc.vpcId,
        vpcCidr: vpc.cidrBlock,
        region: config.region,
        subnetIds: vpc.private.subnetIds,
        gatewayRouteTableIds: [...vpc.private.routeTableIds, ...vpc.isolated.routeTableIds],
        interfaceServices: config.network.interfaceEndpoints,
    },
    inEnvironment,
);

const flowLogs = new VpcFlowLogs(
    `${prefix}-flow-logs`,
    {
        vpcId: vpc.vpcId,
        logGroupName: `${logGroupRoot}/vpc-flow-logs`,
        kmsKeyArn: keys.keys.operations.arn,
        retentionDays: config.logging.retentionDays,
        trafficType: config.network.flowLogs.trafficType,
        maxAggregationInterval: config.network.flowLogs.aggregationIntervalSeconds,
        account,
        protection: config.protection,
    },
    inEnvironment,
);

const trailName = `${prefix}-audit`;
const lake = new DataLake(
    `${prefix}-lake`,
    {
        namePrefix: prefix,
        account,
        kmsKeyArn: keys.keys.lake.arn,
        lifecycle: config.lake,
        protection: config.protection,
        logBucketStatements: config.monitoring.cloudTrail ? (arn) => trailBucketStatements(arn, trailName, account) : undefined,
    },
    inEnvironment,
);

// --- Governance settings first: no database may be born open to IAM_ALLOWED_PRINCIPALS ---------
const lakeFormation = new LakeFormationSettings(
    `${prefix}-lake-formation`,
    {
        administrators: config.governance.administrators,
        crossAccountVersion: config.governance.crossAccountVersion,
        trustedResourceOwners: config.governance.trustedResourceOwners,
        manage: config.governance.manageAccountSettings,
    },
    inEnvironment,
);
const roleName = (role: ServiceRole) => serviceRoleName(prefix, role);

// --- Catalog and ETL ---------------------------------------------------------------------------
const operationsLogging = (name: string) => ({ kmsKeyArn: keys.keys.operations.arn, retentionDays: config.logging.retentionDays, logGroupName: `${logGroupRoot}/${name}` });

const catalog = new GlueCatalog(
    `${prefix}-catalog`,
    {
        namePrefix: prefix,
        domains: config.domains.map((d) => ({ name: d.name, columns: d.columns })),
        buckets: { raw: lake.zones.raw.name, curated: lake.zones.curated.name, analytics: lake.zones.analytics.name },
        bucketArns: { raw: lake.zones.raw.arn, curated: lake.zones.curated.arn, analytics: lake.zones.analytics.arn },
        lakeKeyArn: keys.keys.lake.arn,
        operationsKeyArn: keys.keys.operations.arn,
        network: {
            vpcId: vpc.vpcId,
            vpcCidr: vpc.cidrBlock,
            subnetId: vpc.private.subnetIds[0],
            availabilityZone: availabilityZones.apply((names) => names[0]),
            s3PrefixListId: endpoints.s3PrefixListId,
        },
        crawlerSchedule: config.glue.crawlerSchedule,
        manageCatalogEncryption: config.glue.manageCatalogEncryption,
        crawlerRoleName: roleName({ service: "glue-crawler" }),
        databasesDependOn: lakeFormation.settings ? [lakeFormation.settings] : [],
        account,
        protection: config.protection,
    },
    inEnvironment,
);

const etl = new SparkEtlJobs(
    `${prefix}-etl`,
    {
        namePrefix: prefix,
        domains: config.domains.map((d) => ({
            name: d.name,
            source: { database: catalog.databases.raw[d.name], table: catalog.tables.raw[d.name] },
            target: { database: catalog.databases.curated[d.name], table: catalog.tables.curated[d.name] },
            primaryKey: d.primaryKey,
            eventTimeColumn: d.columns.find((c) => c.type === "timestamp")!.name,
            columns: d.columns.map((c) => ({ name: c.name, required: !c.nullable, min: c.min, max: c.max })),
        })),
        buckets: { raw: lake.zones.raw, curated: lake.zones.curated },
        lakeKeyArn: keys.keys.lake.arn,
        operationsKeyArn: keys.keys.operations.arn,
        securityConfigurationName: catalog.securityConfigurationName,
        connectionName: catalog.connectionName,
        glueVersion: config.glue.glueVersion,
        workerType: config.glue.workerType,
        numberOfWorkers: config.glue.numberOfWorkers,
        executionClass: config.glue.executionClass,
        timeoutMinutes: config.glue.timeoutMinutes,
        maxRetries: config.glue.maxRetries,
        roleName: roleName({ service: "glue-jobs" }),
        account,
    },
    inEnvironment,
);

// --- Streaming ---------------------------------------------------------------------------------
const kinesisDomains = config.domains.filter((d) => d.transport === "kinesis");
const streams = kinesisDomains.map((domain) => {
    const sizes = config.sizes.streams[domain.name];
    const stream = new KinesisStream(
        `${prefix}-${domain.name}`,
        {
            streamName: `${prefix}-${domain.name}`,
            mode: config.streaming.kinesisMode,
            shardCount: sizes.shards,
            retentionHours: domain.retentionHours,
            kmsKeyArn: keys.keys.streaming.arn,
            protection: config.protection,
        },
        inEnvironment,
    );
    const delivery = new FirehoseDelivery(
        `${prefix}-${domain.name}-to-raw`,
        {
            deliveryStreamName: `${prefix}-${domain.name}-to-raw`,
            domain: domain.name,
            sourceStreamArn: stream.arn,
            streamingKeyArn: keys.keys.streaming.arn,
            rawBucketArn: lake.zones.raw.arn,
            lakeKeyArn: keys.keys.lake.arn,
            schema: { databaseName: catalog.databases.raw[domain.name], tableName: catalog.tables.raw[domain.name] },
            partitionKey: domain.partitionKey,
            bufferSizeMib: sizes.buffering.sizeMib,
            bufferIntervalSeconds: sizes.buffering.intervalSeconds,
            logging: operationsLogging(`firehose/${domain.name}`),
            roleName: roleName({ service: "firehose", domain: domain.name }),
            account,
            protection: config.protection,
        },
        inEnvironment,
    );
    return { domain: domain.name, stream, delivery };
});

const mskSizes = config.sizes.msk;
const kafka =
    config.streaming.msk.mode === "provisioned" && mskSizes
        ? new MskCluster(
              `${prefix}-kafka`,
              {
                  clusterName: `${prefix}-kafka`,
                  kafkaVersion: config.streaming.msk.kafkaVersion,
                  brokerInstanceType: mskSizes.instanceType,
                  brokerCount: mskSizes.brokerCount,
                  storageGibPerBroker: mskSizes.storageGibPerBroker,
                  maxStorageGibPerBroker: config.streaming.msk.maxStorageGibPerBroker,
                  subnetIds: vpc.private.subnetIds,
                  vpcId: vpc.vpcId,
                  vpcCidr: vpc.cidrBlock,
                  kmsKeyArn: keys.keys.streaming.arn,
                  logging: operationsLogging("msk/brokers"),
                  protection: config.protection,
              },
              inEnvironment,
          )
        : config.streaming.msk.mode === "serverless"
          ? new MskServerlessCluster(
                `${prefix}-kafka`,
                { clusterName: `${prefix}-kafka`, subnetIds: vpc.private.subnetIds, vpcId: vpc.vpcId, vpcCidr: vpc.cidrBlock },
                inEnvironment,
            )
          : undefined;

// --- Warehouse ---------------------------------------------------------------------------------
const lakeAccess = {
    readBucketArns: [lake.zones.curated.arn, lake.zones.analytics.arn],
    unloadBucketArn: lake.zones.analytics.arn,
    lakeKeyArn: keys.keys.lake.arn,
    catalogDatabases: config.domains.flatMap((d) => [catalog.databases.curated[d.name], catalog.databases.analytics[d.name]]),
};
const warehouseName = `${prefix}-warehouse`;
const warehouseCommon = {
    adminUsername: config.warehouse.adminUsername,
    databaseName: config.warehouse.databaseName,
    subnetIds: vpc.isolated.subnetIds,
    vpcId: vpc.vpcId,
    vpcCidr: vpc.cidrBlock,
    s3PrefixListId: endpoints.s3PrefixListId,
    kmsKeyArn: keys.keys.warehouse.arn,
    lakeAccess,
    lakeRoleName: roleName({ service: "warehouse" }),
    account,
    protection: config.protection,
};
const warehouseLogging = (logGroupPrefix: string) => ({ kmsKeyArn: keys.keys.operations.arn, retentionDays: config.logging.retentionDays, logGroupPrefix });
const warehouse =
    config.warehouse.mode === "provisioned"
        ? new RedshiftCluster(
              warehouseName,
              {
                  ...warehouseCommon,
                  clusterIdentifier: warehouseName,
                  nodeType: config.warehouse.nodeType,
                  numberOfNodes: config.warehouse.numberOfNodes,
                  multiAz: config.warehouse.multiAz,
                  snapshotRetentionDays: config.warehouse.snapshotRetentionDays,
                  logging: warehouseLogging("/aws/redshift/cluster"),
              },
              inEnvironment,
          )
        : new RedshiftServerlessWarehouse(
              warehouseName,
              { ...warehouseCommon, name: warehouseName, baseCapacityRpu: config.warehouse.baseCapacityRpu, logging: warehouseLogging("/aws/redshift/serverless") },
              inEnvironment,
          );

// --- Lake Formation: registrations, LF-Tags, tag-based grants ---------------------------------
const model = governanceModel(governanceInput(config));
const catalogDatabases: Record<string, pulumi.Output<string>> = {};
const catalogTables: Record<string, pulumi.Output<string>> = {};
for (const zone of GOVERNED_ZONES) {
    for (const d of config.domains) {
        catalogDatabases[databaseName(prefix, zone, d.name)] = catalog.databases[zone][d.name];
        catalogTables[`${databaseName(prefix, zone, d.name)}.${tableName(zone, d.name)}`] = catalog.tables[zone][d.name];
    }
}
const serviceRoleArns = (role: ServiceRole): pulumi.Input<string> => {
    switch (role.service) {
        case "glue-jobs":
            return etl.roleArn;
        case "glue-crawler":
            return catalog.crawlerRoleArn;
        case "warehouse":
            return warehouse.lakeRoleArn;
        case "firehose": {
            const found = streams.find((s) => s.domain === role.domain);
            if (!found) throw new pulumi.RunError(`no Firehose delivery for domain ${role.domain}`);
            return found.delivery.roleArn;
        }
    }
};
const governance = new LakeGovernance(
    `${prefix}-governance`,
    {
        namePrefix: prefix,
        model,
        zoneBucketArns: { raw: lake.zones.raw.arn, curated: lake.zones.curated.arn, analytics: lake.zones.analytics.arn },
        lakeKeyArn: keys.keys.lake.arn,
        databases: catalogDatabases,
        tables: catalogTables,
        serviceRoleArn: serviceRoleArns,
        hybridAccessZones: config.governance.hybridAccessZones,
        settings: lakeFormation.settings,
        account,
    },
    inEnvironment,
);

// --- Orchestration and monitoring -------------------------------------------------------------
const alerts = new AlertTopic(
    `${prefix}-alerts`,
    { topicName: `${prefix}-alerts`, kmsKeyArn: keys.keys.operations.arn, emails: config.monitoring.alertEmails, account },
    inEnvironment,
);

const loadTarget: LoadTarget =
    warehouse instanceof RedshiftCluster
        ? { kind: "cluster", clusterIdentifier: warehouse.clusterIdentifier, clusterArn: warehouse.arn, database: warehouse.databaseName, dbUser: "etl_loader" }
        : { kind: "serverless", workgroupName: warehouse.workgroupName, workgroupArn: warehouse.workgroupArn, database: warehouse.databaseName };
const pipeline = new WarehouseLoadPipeline(
    `${prefix}-load`,
    {
        pipelineName: `${prefix}-curated-to-warehouse`,
        domains: config.domains.map((d) => ({
            name: d.name,
            jobName: etl.jobNames[d.name],
            jobArn: etl.jobArns[d.name],
            curatedPath: pulumi.interpolate`s3://${lake.zones.curated.name}/${d.name}/`,
            targetTable: `staging.${d.name}`,
        })),
        target: loadTarget,
        warehouseLakeRoleArn: warehouse.lakeRoleArn,
        alertTopicArn: alerts.topicArn,
        operationsKeyArn: keys.keys.operations.arn,
        schedule: config.orchestration.schedule,
        logging: { retentionDays: config.logging.retentionDays, logGroupName: `/aws/vendedlogs/states/${prefix}-curated-to-warehouse` },
        account,
        protection: config.protection,
    },
    inEnvironment,
);

const queue = new IngestionQueue(
    `${prefix}-ingestion`,
    { queueName: `${prefix}-ingestion`, kmsKeyArn: keys.keys.operations.arn, maxReceiveCount: config.orchestration.maxReceiveCount },
    inEnvironment,
);

const alarms = new PlatformAlarms(
    `${prefix}-alarms`,
    {
        namePrefix: prefix,
        region: config.region,
        alertTopicArn: alerts.topicArn,
        thresholds: config.monitoring.thresholds,
        kinesisStreams: streams.map((s) => s.stream.streamName),
        firehoseStreams: streams.map((s) => s.delivery.deliveryStreamName),
        msk: kafka instanceof MskCluster && mskSizes ? { clusterName: kafka.clusterName, brokerCount: mskSizes.brokerCount } : undefined,
        glueJobNames: Object.values(etl.jobNames),
        redshiftClusterIdentifier: warehouse instanceof RedshiftCluster ? warehouse.clusterIdentifier : undefined,
        stateMachineArn: pipeline.stateMachineArn,
        deadLetterQueueName: queue.deadLetterQueueName,
    },
    inEnvironment,
);

const trail = config.monitoring.cloudTrail
    ? new AuditTrail(
          trailName,
          {
              trailName,
              bucketName: lake.accessLogs.name,
              kmsKeyArn: keys.keys.operations.arn,
              dataEventBucketArns: [lake.zones.raw.arn, lake.zones.curated.arn, lake.zones.analytics.arn],
              logging: { retentionDays: config.logging.retentionDays, logGroupName: `${logGroupRoot}/cloudtrail` },
              account,
              protection: config.protection,
          },
          { ...inEnvironment, dependsOn: [lake] },
      )
    : undefined;

export const environment = config.environment;
export const region = config.region;
export const network = {
    vpcId: vpc.vpcId,
    privateSubnetIds: vpc.private.subnetIds,
    isolatedSubnetIds: vpc.isolated.subnetIds,
    s3GatewayEndpointId: endpoints.s3GatewayEndpointId,
    interfaceEndpoints: Object.keys(endpoints.interfaceEndpointIds),
    flowLogGroup: flowLogs.logGroupName,
};
export const kmsKeys = {
    lake: keys.keys.lake.arn,
    streaming: keys.keys.streaming.arn,
    warehouse: keys.keys.warehouse.arn,
    operations: keys.keys.operations.arn,
};
export const lakeBuckets = {
    raw: lake.zones.raw.name,
    curated: lake.zones.curated.name,
    analytics: lake.zones.analytics.name,
    accessLogs: lake.accessLogs.name,
};
export const streaming = {
    kinesisStreams: Object.fromEntries(streams.map((s) => [s.domain, { name: s.stream.streamName, arn: s.stream.arn }])),
    firehoseDeliveryStreams: Object.fromEntries(streams.map((s) => [s.domain, s.delivery.deliveryStreamName])),
    msk: kafka ? { arn: kafka.arn, bootstrapBrokersSaslIam: kafka.bootstrapBrokersSaslIam, mode: config.streaming.msk.mode } : undefined,
};
export const glue = {
    databases: catalog.databases,
    jobs: etl.jobNames,
    dataQualityRulesets: etl.rulesetNames,
    securityConfiguration: catalog.securityConfigurationName,
};
export const warehouseEndpoint =
    warehouse instanceof RedshiftCluster
        ? { mode: "provisioned", endpoint: warehouse.endpoint, clusterIdentifier: warehouse.clusterIdentifier, adminSecretArn: warehouse.adminSecretArn }
        : { mode: "serverless", endpoint: warehouse.endpoint, workgroup: warehouse.workgroupName, adminSecretArn: warehouse.adminSecretArn };
export const orchestration = { stateMachineArn: pipeline.stateMachineArn, schedule: pipeline.scheduleName, ingestionQueueUrl: queue.queueUrl, deadLetterQueueArn: queue.deadLetterQueueArn };
export const monitoring = { alertTopicArn: alerts.topicArn, dashboardName: alarms.dashboardName, auditTrailArn: trail?.trailArn };
export const sizing = config.sizes;
export const lakeFormationGovernance = {
    administrators: config.governance.administrators,
    registrationRoleArn: governance.registrationRoleArn,
    lfTags: model.tags,
    grants: model.tagGrants.length + model.locationGrants.length,
};

/** Usage of the streams follows from the declared load; the rest comes from lakehouse:cost.usage. */
const mskDomains = config.domains.filter((d) => d.transport === "msk");
const usage: UsageProfile = {
    ...config.cost.usage,
    streams: Object.fromEntries(
        kinesisDomains.map((d) => [
            `${prefix}-${d.name}`,
            { gbPerMonth: d.dailyVolumeGb * DAYS_PER_MONTH, recordsPerMonth: ((d.dailyVolumeGb * 1e9) / d.averageEventBytes) * DAYS_PER_MONTH, consumers: d.consumers },
        ]),
    ),
    firehoses: Object.fromEntries(kinesisDomains.map((d) => [`${prefix}-${d.name}-to-raw`, { gbPerMonth: d.dailyVolumeGb * DAYS_PER_MONTH }])),
    mskServerless: config.cost.usage.mskServerless ?? {
        partitions: 6 * Math.max(1, mskDomains.length),
        storedGb: mskDomains.reduce((sum, d) => sum + d.dailyVolumeGb * (d.retentionHours / 24), 0),
        gbInPerMonth: mskDomains.reduce((sum, d) => sum + d.dailyVolumeGb * DAYS_PER_MONTH, 0),
        gbOutPerMonth: mskDomains.reduce((sum, d) => sum + d.dailyVolumeGb * DAYS_PER_MONTH * d.consumers, 0),
    },
};

/** Monthly cost estimate for cost review: `pulumi stack output costEstimate --json`. */
export const costEstimate = declared
    .estimate({ region: config.region, priceRegion: config.cost.priceRegion, usage, strict: config.cost.strictPrices })
    .apply((estimate) => ({
        ...estimate,
        assumptions: [
            ...estimate.assumptions,
            "Kinesis, Firehose and MSK volumes follow the declared load (dailyVolumeGb x 30.4 days); an MSK Serverless topic has 6 partitions unless the usage profile says otherwise.",
        ],
        budget: { monthlyUsd: config.cost.monthlyBudgetUsd, warnAtPercent: config.cost.warnAtPercent },
    }));
