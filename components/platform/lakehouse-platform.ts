import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { governanceInput } from "../../config/governance";
import { LAMBDA_UNRESERVED_MINIMUM } from "../../config/schema";
import { averageIntervalSeconds } from "../../config/freshness";
import type { PlatformConfig } from "../../config/loader";
import { type CollectedEstimate, DeclaredResources } from "../../cost/collector";
import { DECLARED_LOAD_ASSUMPTION, declaredLoadUsage } from "../../cost/usage";
import { CATALOGUED_ZONES, databaseName, GOVERNED_ZONES, governanceModel, revocationRoleName, type ServiceRole, serviceRoleName, tableName } from "../../lib/governance";
import { backfillStateMachineName, etlJobName, kafkaTopicName, kinesisStreamName, logGroupRoot, namePrefix, rawDeliveryStreamName } from "../../lib/naming";
import { firehoseBuffering } from "../../lib/sizing";
import { manifestPrefix } from "../../lib/layout";
import { etlContract } from "../../lib/etl-sql";
import { warehouseDomain } from "../../lib/warehouse-sql";
import { GlueCatalog, TableOptimizers } from "../catalog";
import { PIPELINE_METRICS_NAMESPACE, SparkEtlJobs } from "../etl";
import { IamAllowedPrincipalsRevocationFunction, LakeFormationSettings, LakeGovernance } from "../governance";
import { PlatformKeys } from "../kms";
import { DataLake } from "../lake";
import { AlertTopic, AuditTrail, PlatformAlarms, ReconciliationAlarms, trailArnOf, trailBucketStatements } from "../monitoring";
import { PlatformVpc, VpcEndpoints, VpcFlowLogs } from "../network";
import { BackfillPipeline, IngestionQueue, IngestionValidator, type LoadTarget, PipelineState, WarehouseLoadPipeline } from "../orchestration";
import type { AccountContext } from "../shared/naming";
import { FirehoseDelivery, type FirehoseSource, KinesisStream, MskCluster, MskServerlessCluster, MskServerlessTopics, MskTopics } from "../streaming";
import { RedshiftCluster, RedshiftServerlessWarehouse, WarehouseSchema } from "../warehouse";
import { AthenaWorkgroups, QueryResultsBucket } from "../query";
import { roleNameOfArn } from "../../config/query";
import { type PlatformOutputs, platformOutputs } from "./outputs";
import { platformProviderArgs } from "./provider";

/** Arguments of {@link LakehousePlatform}. */
export interface LakehousePlatformArgs {
    /**
     * The environment's validated configuration (`parseStackConfig` or `loadPlatformConfig` from
     * the config module): every setting of every area comes from here.
     */
    config: PlatformConfig;
    /**
     * AWS provider every resource is created with. It should carry the platform's tag set as
     * `defaultTags` (see `platformTags`), which the tagging policies require.
     * @default a provider for `config.region` with the platform's default tags, created as the platform's child
     */
    provider?: aws.Provider;
}

/**
 * The whole governed lakehouse of one environment, composed from the area components: keys,
 * network, lake, Lake Formation settings and governance, catalog and Spark ETL, Kinesis and MSK
 * ingestion, the warehouse, the load pipeline, alarms and the audit trail. It also prices itself:
 * {@link costEstimate} is computed from the inputs of every resource it declares.
 *
 * Each area component stays usable on its own; this class only wires them together from config.
 * The areas were top-level resources before the platform existed: each carries an alias to its
 * top-level URN, which its children inherit, so an existing stack updates in place.
 */
export class LakehousePlatform extends pulumi.ComponentResource {
    /** Everything the stack exports, shaped for `pulumi stack output`. */
    public readonly outputs: PlatformOutputs;
    /** Monthly cost estimate of every resource the platform declares, with the environment's budget and, in a preview, the pricing inputs not known yet (`unknownInputs`). */
    public readonly costEstimate: pulumi.Output<CollectedEstimate & { budget: { monthlyUsd: number; warnAtPercent: number } }>;

    constructor(name: string, args: LakehousePlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        // Records every resource in this component's tree for the estimate; must be in place before the first child.
        const declared = new DeclaredResources();
        super("lakehouse:platform:LakehousePlatform", name, {}, { ...opts, transformations: [...(opts?.transformations ?? []), declared.transformation] });
        const { config } = args;
        const prefix = namePrefix(config.environment);
        const logRoot = logGroupRoot(prefix);

        const provider = args.provider ?? new aws.Provider(`aws-${config.environment}`, platformProviderArgs(config), { parent: this });
        // Areas were top-level resources before this component existed: the alias keeps their URNs.
        const area: pulumi.ComponentResourceOptions = { parent: this, providers: [provider], aliases: [{ parent: pulumi.rootStackResource }] };
        // Areas added since the platform component existed have no earlier URN to keep.
        const newArea: pulumi.ComponentResourceOptions = { parent: this, providers: [provider] };

        const identity = aws.getCallerIdentityOutput({}, { provider });
        const partition = aws.getPartitionOutput({}, { provider });
        const account: AccountContext = { accountId: identity.accountId, partition: partition.partition, region: config.region };

        const trailName = `${prefix}-audit`;
        const keys = new PlatformKeys(
            prefix,
            {
                namePrefix: prefix,
                account,
                deletionWindowDays: config.keys.deletionWindowDays,
                protection: config.protection,
                cloudTrailArns: config.monitoring.cloudTrail ? [trailArnOf(trailName, account)] : [],
            },
            area,
        );

        const vpc = new PlatformVpc(
            prefix,
            {
                namePrefix: prefix,
                cidrBlock: config.network.vpcCidr,
                // Pinned by zone id (config, or the Region's first usable ids): see lib/zones.ts pinnedZoneIds.
                availabilityZoneIds: config.network.availabilityZoneIds,
                natStrategy: config.network.natStrategy,
            },
            area,
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
            area,
        );

        const flowLogs = new VpcFlowLogs(
            `${prefix}-flow-logs`,
            {
                vpcId: vpc.vpcId,
                logGroupName: `${logRoot}/vpc-flow-logs`,
                kmsKeyArn: keys.keys.operations.arn,
                retentionDays: config.logging.retentionDays,
                trafficType: config.network.flowLogs.trafficType,
                maxAggregationInterval: config.network.flowLogs.aggregationIntervalSeconds,
                account,
                protection: config.protection,
            },
            area,
        );

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
            area,
        );

        // Governance settings first: no database may be born open to IAM_ALLOWED_PRINCIPALS.
        // Who runs this deployment, as an IAM role ARN (with its path) rather than its STS session ARN:
        // it must be the deployer role or an administrator, never added to them.
        const runner = aws.iam.getSessionContextOutput({ arn: identity.arn }, { provider }).issuerArn;
        // Revokes IAM_ALLOWED_PRINCIPALS at deploy time as an administrator the settings name, so
        // its role exists before them.
        const revocation = new IamAllowedPrincipalsRevocationFunction(
            `${prefix}-lf-revocation`,
            {
                functionName: `${prefix}-lf-revocation`,
                roleName: revocationRoleName(prefix),
                // By zone pattern, not one entry per domain: the role's policy stays the same size at any domain count.
                databases: GOVERNED_ZONES.map((zone) => databaseName(prefix, zone, "*")),
                catalogKeyArn: keys.keys.lake.arn,
                network: { vpcId: vpc.vpcId, vpcCidr: config.network.vpcCidr, subnetIds: vpc.private.subnetIds },
                operationsKeyArn: keys.keys.operations.arn,
                logRetentionDays: config.logging.retentionDays,
                reservedConcurrency: deployTimeReservation(config.orchestration.validator, 1),
                account,
                protection: config.protection,
            },
            newArea,
        );
        const lakeFormation = new LakeFormationSettings(
            `${prefix}-lake-formation`,
            {
                administrators: [...config.governance.administrators, config.governance.deployerRoleArn],
                stackAdministrators: [revocation.roleArn],
                runner,
                crossAccountVersion: config.governance.crossAccountVersion,
                trustedResourceOwners: config.governance.trustedResourceOwners,
                manage: config.governance.manageAccountSettings,
                protectSettings: config.governance.protectAccountSettings,
            },
            area,
        );
        const roleName = (role: ServiceRole) => serviceRoleName(prefix, role);
        const operationsLogging = (logName: string) => ({ kmsKeyArn: keys.keys.operations.arn, retentionDays: config.logging.retentionDays, logGroupName: `${logRoot}/${logName}` });

        const catalog = new GlueCatalog(
            `${prefix}-catalog`,
            {
                namePrefix: prefix,
                domains: config.domains.map((d) => ({
                    name: d.name,
                    partitionKey: d.partitionKey,
                    columns: d.columns,
                    primaryKey: d.primaryKey,
                    eventTime: warehouseDomain(d).eventTime,
                    hotKeyBuckets: d.hotKeyBuckets,
                })),
                targetFileSizeMb: config.tables.targetFileSizeMb,
                buckets: { raw: lake.zones.raw.name, curated: lake.zones.curated.name, analytics: lake.zones.analytics.name },
                bucketArns: { raw: lake.zones.raw.arn, curated: lake.zones.curated.arn, analytics: lake.zones.analytics.arn },
                lakeKeyArn: keys.keys.lake.arn,
                operationsKeyArn: keys.keys.operations.arn,
                network: {
                    vpcId: vpc.vpcId,
                    vpcCidr: vpc.cidrBlock,
                    subnetId: vpc.private.subnetIds[0],
                    availabilityZone: vpc.private.availabilityZones[0],
                    s3PrefixListId: endpoints.s3PrefixListId,
                    dynamodbPrefixListId: endpoints.dynamodbPrefixListId,
                },
                crawlerSchedule: config.glue.crawlerSchedule,
                manageCatalogEncryption: config.glue.manageCatalogEncryption,
                crawlerRoleName: roleName({ service: "glue-crawler" }),
                optimizerRoleName: roleName({ service: "table-optimizer" }),
                databasesDependOn: lakeFormation.settings ? [lakeFormation.settings] : [],
                account,
                protection: config.protection,
            },
            area,
        );

        // Watermarks and run records of the pipeline; the ETL jobs record each run in it.
        const state = new PipelineState(`${prefix}-state`, { tableName: `${prefix}-pipeline-state`, kmsKeyArn: keys.keys.operations.arn, protection: config.protection }, newArea);

        const etl = new SparkEtlJobs(
            `${prefix}-etl`,
            {
                namePrefix: prefix,
                domains: config.domains.map((d) => ({
                    ...etlContract(d),
                    operation: d.operation,
                    hotKeyBuckets: d.hotKeyBuckets,
                    numberOfWorkers: config.sizes.glueJobs[d.name].maxWorkers,
                    // The stream's buffer interval decides when an arrival hour is closed to the job (lib/run-integrity.ts).
                    bufferIntervalSeconds: (config.sizes.streams[d.name]?.buffering ?? firehoseBuffering(d)).intervalSeconds,
                    source: { database: catalog.databases.raw[d.name], table: catalog.tables.raw[d.name] },
                    target: { database: catalog.databases.curated[d.name], table: catalog.tables.curated[d.name] },
                })),
                buckets: { raw: lake.zones.raw, curated: lake.zones.curated },
                artefactsBucket: lake.artefacts,
                stateTable: { name: state.tableName, arn: state.tableArn },
                maxFailedPercent: config.glue.maxFailedRowsPercent,
                lakeKeyArn: keys.keys.lake.arn,
                operationsKeyArn: keys.keys.operations.arn,
                securityConfigurationName: catalog.securityConfigurationName,
                connectionName: catalog.connectionName,
                glueVersion: config.glue.glueVersion,
                workerType: config.glue.workerType,
                numberOfWorkers: config.glue.numberOfWorkers,
                executionClass: config.glue.executionClass,
                timeoutMinutes: config.glue.timeoutMinutes,
                longRunNotifyMinutes: Math.max(1, Math.ceil((config.glue.timeoutMinutes * config.monitoring.thresholds.glueLongRunPercent) / 100)),
                maxRetries: config.glue.maxRetries,
                roleName: roleName({ service: "glue-jobs" }),
                account,
            },
            area,
        );

        // Every domain lands in the raw zone through Firehose, from its stream or its Kafka topic.
        const landInRaw = (domain: (typeof config.domains)[number], source: FirehoseSource, buffering: { sizeMib: number; intervalSeconds: number }, options: pulumi.ComponentResourceOptions) => {
            const deliveryStreamName = rawDeliveryStreamName(prefix, domain.name);
            return new FirehoseDelivery(
                deliveryStreamName,
                {
                    deliveryStreamName,
                    domain: domain.name,
                    source,
                    rawBucketArn: lake.zones.raw.arn,
                    lakeKeyArn: keys.keys.lake.arn,
                    schema: { databaseName: catalog.databases.raw[domain.name], tableName: catalog.tables.raw[domain.name] },
                    partitionKey: domain.partitionKey,
                    partitionValues: domain.partitionValues,
                    bufferSizeMib: buffering.sizeMib,
                    bufferIntervalSeconds: buffering.intervalSeconds,
                    logging: operationsLogging(`firehose/${domain.name}`),
                    roleName: roleName({ service: "firehose", domain: domain.name }),
                    account,
                    protection: config.protection,
                },
                options,
            );
        };

        const streams = config.domains
            .filter((d) => d.transport === "kinesis")
            .map((domain) => {
                const sizes = config.sizes.streams[domain.name];
                const streamName = kinesisStreamName(prefix, domain.name);
                const stream = new KinesisStream(
                    streamName,
                    {
                        streamName,
                        mode: config.streaming.kinesisMode,
                        shardCount: sizes.shards,
                        retentionHours: domain.retentionHours,
                        enhancedFanOutConsumers: sizes.enhancedFanOut ? domain.consumers : 0,
                        kmsKeyArn: keys.keys.streaming.arn,
                        protection: config.protection,
                    },
                    area,
                );
                const delivery = landInRaw(domain, { kind: "kinesis", streamArn: stream.arn, streamKeyArn: keys.keys.streaming.arn }, sizes.buffering, area);
                return { domain: domain.name, stream, delivery };
            });

        const mskSizes = config.sizes.msk;
        const kafkaName = `${prefix}-kafka`;
        const mskDomains = config.domains.filter((d) => d.transport === "msk");
        // Firehose reads the domains' topics through a private VPC connection the cluster policy allows.
        const firehoseAccount = mskDomains.length > 0 ? account : undefined;
        const kafka =
            config.streaming.msk.mode === "provisioned" && mskSizes
                ? new MskCluster(
                      kafkaName,
                      {
                          clusterName: kafkaName,
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
                          firehoseAccount,
                          protection: config.protection,
                      },
                      area,
                  )
                : config.streaming.msk.mode === "serverless"
                  ? new MskServerlessCluster(kafkaName, { clusterName: kafkaName, subnetIds: vpc.private.subnetIds, vpcId: vpc.vpcId, vpcCidr: vpc.cidrBlock, firehoseAccount }, area)
                  : undefined;
        // The cluster creates no topic implicitly: every MSK domain's topic is created by the stack,
        // with MSK's topic API on a provisioned cluster and a deploy-time function on Serverless.
        const topicSpecs = mskDomains.map((d) => ({ name: kafkaTopicName(d.name), ...config.sizes.topics[d.name] }));
        const kafkaTopics =
            kafka instanceof MskCluster && topicSpecs.length > 0
                ? new MskTopics(`${kafkaName}-topics`, { clusterArn: kafka.arn, topics: topicSpecs, protection: config.protection }, newArea)
                : kafka instanceof MskServerlessCluster && topicSpecs.length > 0
                  ? new MskServerlessTopics(
                        `${kafkaName}-topics`,
                        {
                            functionName: `${kafkaName}-topics`,
                            clusterArn: kafka.arn,
                            bootstrapBrokers: kafka.bootstrapBrokersSaslIam,
                            topics: topicSpecs,
                            network: { vpcId: vpc.vpcId, vpcCidr: vpc.cidrBlock, subnetIds: vpc.private.subnetIds },
                            operationsKeyArn: keys.keys.operations.arn,
                            logRetentionDays: config.logging.retentionDays,
                            account,
                            protection: config.protection,
                        },
                        newArea,
                    )
                  : undefined;
        const topics =
            kafka && kafkaTopics
                ? mskDomains.map((domain) => {
                      const topic = kafkaTopicName(domain.name);
                      // Firehose reads from its first moment: the topic and the cluster policy must exist.
                      const sourceReady = [kafkaTopics.created[topic], ...(kafka.clusterPolicy ? [kafka.clusterPolicy] : [])];
                      return { domain: domain.name, delivery: landInRaw(domain, { kind: "msk", clusterArn: kafka.arn, topic, sourceReady }, firehoseBuffering(domain), newArea) };
                  })
                : [];
        const deliveries = [...streams.map((s) => ({ domain: s.domain, delivery: s.delivery })), ...topics];

        const warehouseName = `${prefix}-warehouse`;
        const warehouseCommon = {
            adminUsername: config.warehouse.adminUsername,
            databaseName: config.warehouse.databaseName,
            subnetIds: vpc.isolated.subnetIds,
            vpcId: vpc.vpcId,
            vpcCidr: vpc.cidrBlock,
            s3PrefixListId: endpoints.s3PrefixListId,
            kmsKeyArn: keys.keys.warehouse.arn,
            lakeAccess: {
                readBucketArns: [lake.zones.curated.arn, lake.zones.analytics.arn],
                unloadBucketArn: lake.zones.analytics.arn,
                lakeKeyArn: keys.keys.lake.arn,
                // Not the analytics databases: they hold no tables until their producer exists.
                // Every curated database, by name pattern (one entry whatever the domain count).
                catalogDatabases: [databaseName(prefix, "curated", "*")],
            },
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
                      area,
                  )
                : new RedshiftServerlessWarehouse(
                      warehouseName,
                      { ...warehouseCommon, name: warehouseName, baseCapacityRpu: config.warehouse.baseCapacityRpu, logging: warehouseLogging("/aws/redshift/serverless") },
                      area,
                  );

        // Lake Formation: registrations, LF-Tags and tag-based grants over the catalog just declared.
        const model = governanceModel(governanceInput(config));
        const catalogDatabases: Record<string, pulumi.Output<string>> = {};
        const catalogTables: Record<string, pulumi.Output<string>> = {};
        for (const zone of GOVERNED_ZONES) {
            for (const d of config.domains) catalogDatabases[databaseName(prefix, zone, d.name)] = catalog.databases[zone][d.name];
        }
        for (const zone of CATALOGUED_ZONES) {
            for (const d of config.domains) catalogTables[`${databaseName(prefix, zone, d.name)}.${tableName(zone, d.name)}`] = catalog.tables[zone][d.name];
        }
        const serviceRoleArn = (role: ServiceRole): pulumi.Input<string> => {
            switch (role.service) {
                case "glue-jobs":
                    return etl.roleArn;
                case "glue-crawler":
                    return catalog.crawlerRoleArn;
                case "warehouse":
                    return warehouse.lakeRoleArn;
                case "table-optimizer":
                    return catalog.optimizerRoleArn;
                case "firehose": {
                    const found = deliveries.find((s) => s.domain === role.domain);
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
                serviceRoleArn,
                hybridAccessZones: config.governance.hybridAccessZones,
                settings: lakeFormation.settings,
                account,
                revocationFunction: revocation,
            },
            area,
        );

        // The curated Iceberg tables' maintenance, once the optimizer role holds its Lake Formation
        // grants (an optimizer run without them fails on the first file it reads): those grants
        // only, not the whole governance, whose every domain's grants would make each optimizer's
        // dependencies grow with the domain count.
        new TableOptimizers(
            `${prefix}-table-optimizers`,
            {
                catalogId: account.accountId,
                tables: config.domains.map((d) => ({ domain: d.name, databaseName: catalog.databases.curated[d.name], tableName: catalog.tables.curated[d.name] })),
                roleArn: catalog.optimizerRoleArn,
                maintenance: config.tables,
                grantsReady: governance.grantsByPurpose["table-optimizer"] ?? [],
            },
            newArea,
        );

        // A query path per persona: an Athena workgroup whose results land, encrypted with the lake
        // key, in a bucket guarded like the lake's, and a policy letting the persona's roles use that
        // workgroup only; Lake Formation decides which columns each persona reads.
        const queryResults = new QueryResultsBucket(
            `${prefix}-query-results`,
            {
                namePrefix: prefix,
                account,
                // Its own key (see components/kms): personas decrypt results, never lake data.
                kmsKeyArn: keys.keys.query.arn,
                accessLogs: { bucket: lake.accessLogs.name, prefix: "query-results/" },
                resultExpirationDays: config.query.resultExpirationDays,
                protection: config.protection,
            },
            newArea,
        );
        const query = new AthenaWorkgroups(
            `${prefix}-athena`,
            {
                namePrefix: prefix,
                account,
                personas: Object.fromEntries(
                    Object.entries(config.governance.personas).map(([name, persona]) => [
                        name,
                        {
                            bytesScannedCutoffPerQuery: config.query.personas[name]?.bytesScannedCutoffPerQuery,
                            attachToRoleNames: config.query.attachPolicies ? persona.roleArns.map(roleNameOfArn) : [],
                        },
                    ]),
                ),
                resultsBucket: { name: queryResults.bucketName, arn: queryResults.arn },
                resultsKeyArn: keys.keys.query.arn,
                // The catalog's key, usable only through Glue (kms:ViaService): metadata, never S3 objects.
                catalogKeyArn: keys.keys.lake.arn,
                bytesScannedCutoffPerQuery: config.query.bytesScannedCutoffPerQuery,
                protection: config.protection,
            },
            newArea,
        );

        // Critical alerts (data stops or is lost) and warnings on separate topics: a paging tool
        // subscribes to the first only. Both reach the configured addresses.
        const alerts = new AlertTopic(
            `${prefix}-alerts`,
            { topicName: `${prefix}-alerts`, kmsKeyArn: keys.keys.operations.arn, emails: config.monitoring.alertEmails, account },
            area,
        );
        const warnings = new AlertTopic(
            `${prefix}-warnings`,
            { topicName: `${prefix}-warnings`, kmsKeyArn: keys.keys.operations.arn, emails: config.monitoring.alertEmails, account },
            newArea,
        );

        // Schema, tables and loader identity, created before the first load can run.
        const warehouseDomains = config.domains.map(warehouseDomain);
        const schema = new WarehouseSchema(
            `${prefix}-warehouse-schema`,
            {
                domains: warehouseDomains,
                target:
                    warehouse instanceof RedshiftCluster
                        ? { kind: "cluster", clusterIdentifier: warehouse.clusterIdentifier, clusterArn: warehouse.arn }
                        : { kind: "serverless", workgroupName: warehouse.workgroupName, workgroupArn: warehouse.workgroupArn },
                database: warehouse.databaseName,
                adminSecretArn: warehouse.adminSecretArn,
                adminSecretKeyArn: keys.keys.warehouse.arn,
                // Persona roles mapped from IAM, grants per table and masks on PII columns, and a
                // Spectrum schema per curated database queried as the persona's own IAM identity,
                // so Lake Formation's column grants apply to each persona (lib/warehouse-personas-sql.ts).
                personas: { governance: governanceInput(config), spectrumIamRole: "SESSION" },
                // The external schemas name the curated databases.
                warehouseReady: [warehouse, catalog],
                functionName: `${prefix}-warehouse-schema`,
                network: { vpcId: vpc.vpcId, vpcCidr: vpc.cidrBlock, subnetIds: vpc.private.subnetIds },
                operationsKeyArn: keys.keys.operations.arn,
                logRetentionDays: config.logging.retentionDays,
                // A stack opts in to reserved concurrency by reserving the validator's (its account's
                // quota allows it); the schema function then reserves one execution too, where the
                // quota still leaves Lambda its unreserved minimum.
                reservedConcurrency: deployTimeReservation(config.orchestration.validator),
                account,
                protection: config.protection,
            },
            newArea,
        );
        const loadTarget: LoadTarget =
            warehouse instanceof RedshiftCluster
                ? { kind: "cluster", clusterIdentifier: warehouse.clusterIdentifier, clusterArn: warehouse.arn, database: warehouse.databaseName }
                : { kind: "serverless", workgroupName: warehouse.workgroupName, workgroupArn: warehouse.workgroupArn, database: warehouse.databaseName };
        // Every domain's ETL job by name pattern (lib/naming.ts etlJobName): the load's and the
        // backfill's roles keep one entry whatever the domain count.
        const etlJobArnPattern = pulumi.interpolate`arn:${account.partition}:glue:${account.region}:${account.accountId}:job/${etlJobName(prefix, "*")}`;
        const pipeline = new WarehouseLoadPipeline(
            `${prefix}-load`,
            {
                pipelineName: `${prefix}-curated-to-warehouse`,
                jobArnPattern: etlJobArnPattern,
                domains: config.domains.map((d) => ({
                    name: d.name,
                    jobName: etl.jobNames[d.name],
                    jobArn: etl.jobArns[d.name],
                    primaryKey: d.primaryKey,
                    eventTime: warehouseDomain(d).eventTime,
                    operation: d.operation,
                    manifestPrefix: pulumi.interpolate`s3://${lake.zones.curated.name}/${manifestPrefix(d)}`,
                })),
                target: loadTarget,
                stateTable: { name: state.tableName, arn: state.tableArn, pendingLoadIndexArn: state.pendingLoadIndexArn, kmsKeyArn: keys.keys.operations.arn },
                warehouseLakeRoleArn: warehouse.lakeRoleArn,
                alertTopicArn: alerts.topicArn,
                domainList: { bucketName: lake.artefacts.name, bucketArn: lake.artefacts.arn, kmsKeyArn: keys.keys.lake.arn },
                operationsKeyArn: keys.keys.operations.arn,
                schedule: config.orchestration.schedule,
                maxConcurrentDomains: config.orchestration.maxConcurrentDomains,
                jobTimeoutMinutes: config.glue.timeoutMinutes,
                logging: { retentionDays: config.logging.retentionDays, logGroupName: `/aws/vendedlogs/states/${prefix}-curated-to-warehouse` },
                account,
                protection: config.protection,
            },
            { ...area, dependsOn: [schema] },
        );

        // Reprocessing a range of one domain on demand (npm run backfill); its failures are warnings.
        const backfillName = backfillStateMachineName(prefix);
        const backfill = new BackfillPipeline(
            `${prefix}-backfill`,
            {
                pipelineName: backfillName,
                domains: config.domains.map((d) => ({ name: d.name, jobName: etl.jobNames[d.name], jobArn: etl.jobArns[d.name] })),
                jobArnPattern: etlJobArnPattern,
                notifyTopicArn: warnings.topicArn,
                operationsKeyArn: keys.keys.operations.arn,
                jobTimeoutMinutes: config.glue.timeoutMinutes,
                logging: { retentionDays: config.logging.retentionDays, logGroupName: `/aws/vendedlogs/states/${backfillName}` },
                account,
                protection: config.protection,
            },
            newArea,
        );

        // The queue's visibility timeout covers six function timeouts plus the batching window, as
        // AWS advises for SQS event sources (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html).
        const validatorSettings = config.orchestration.validator;
        const queue = new IngestionQueue(
            `${prefix}-ingestion`,
            {
                queueName: `${prefix}-ingestion`,
                kmsKeyArn: keys.keys.operations.arn,
                maxReceiveCount: config.orchestration.maxReceiveCount,
                visibilityTimeoutSeconds: Math.max(300, 6 * validatorSettings.timeoutSeconds + validatorSettings.batchWindowSeconds),
                producerPrincipalArns: config.orchestration.producerPrincipalArns,
                account,
            },
            area,
        );
        // Validation and enrichment of what producers queue, into the Kinesis domains' streams.
        const validator =
            streams.length > 0
                ? new IngestionValidator(
                      `${prefix}-ingestion-validator`,
                      {
                          functionName: `${prefix}-ingestion-validator`,
                          domains: streams.map(({ domain, stream }) => {
                              const declared = config.domains.find((d) => d.name === domain)!;
                              return { name: domain, columns: declared.columns, primaryKey: declared.primaryKey, streamName: stream.streamName, streamArn: stream.arn };
                          }),
                          queueArn: queue.queueArn,
                          deadLetterQueue: { arn: queue.deadLetterQueueArn, url: queue.deadLetterQueueUrl },
                          queueKeyArn: keys.keys.operations.arn,
                          streamKeyArn: keys.keys.streaming.arn,
                          // Every domain stream by name pattern (lib/naming.ts kinesisStreamName): one entry at any count.
                          streamArnPattern: pulumi.interpolate`arn:${account.partition}:kinesis:${account.region}:${account.accountId}:stream/${kinesisStreamName(prefix, "*")}`,
                          operationsKeyArn: keys.keys.operations.arn,
                          ...validatorSettings,
                          network: { vpcId: vpc.vpcId, vpcCidr: config.network.vpcCidr, subnetIds: vpc.private.subnetIds, s3PrefixListId: endpoints.s3PrefixListId },
                          logRetentionDays: config.logging.retentionDays,
                          account,
                          protection: config.protection,
                      },
                      newArea,
                  )
                : undefined;

        // Each domain's ETL runs reconcile raw-in with curated + quarantined + duplicates (docs/run-integrity.md).
        new ReconciliationAlarms(`${prefix}-reconciliation`, { namePrefix: prefix, domains: config.domains.map((d) => d.name), alertTopicArn: alerts.topicArn }, newArea);

        const alarms = new PlatformAlarms(
            `${prefix}-alarms`,
            {
                namePrefix: prefix,
                region: config.region,
                alertTopicArn: alerts.topicArn,
                warningTopicArn: warnings.topicArn,
                thresholds: config.monitoring.thresholds,
                kinesisStreams: streams.map((s) => s.stream.streamName),
                kinesisConsumers: streams.flatMap((s) => s.stream.consumerNames.map((consumerName) => ({ streamName: s.stream.streamName, consumerName }))),
                domains: config.domains.map((domain) => {
                    const kinesis = streams.find((s) => s.domain === domain.name);
                    return {
                        name: domain.name,
                        deliveryStreamName: rawDeliveryStreamName(prefix, domain.name),
                        source: kinesis ? { kind: "kinesis" as const, streamName: kinesis.stream.streamName } : { kind: "msk" as const, peakEventsPerSecond: domain.peakEventsPerSecond },
                        freshness: config.freshness[domain.name],
                    };
                }),
                rawBucketName: lake.zones.raw.name,
                kafkaClusterName: kafka?.clusterName,
                redshiftWorkgroupName: warehouse instanceof RedshiftServerlessWarehouse ? warehouse.workgroupName : undefined,
                firehoseStreams: deliveries.map((s) => s.delivery.deliveryStreamName),
                msk: kafka instanceof MskCluster && mskSizes ? { clusterName: kafka.clusterName, brokerCount: mskSizes.brokerCount } : undefined,
                glueJobNames: Object.values(etl.jobNames),
                glueCrawlerNames: Object.values(catalog.crawlerNames),
                redshiftClusterIdentifier: warehouse instanceof RedshiftCluster ? warehouse.clusterIdentifier : undefined,
                stateMachineArn: pipeline.stateMachineArn,
                backfillStateMachineArn: backfill.stateMachineArn,
                loadIntervalSeconds: averageIntervalSeconds(config.orchestration.schedule),
                deadLetterQueueName: queue.deadLetterQueueName,
                scheduleDeadLetterQueueName: pipeline.scheduleDeadLetterQueueName,
                ingestionQueueName: queue.queueName,
                validatorFunctionName: validator?.functionName,
                stateTableName: state.tableName,
                quality: { namespace: PIPELINE_METRICS_NAMESPACE, domains: config.domains.map((d) => d.name) },
            },
            area,
        );

        const trail = config.monitoring.cloudTrail
            ? new AuditTrail(
                  trailName,
                  {
                      trailName,
                      bucketName: lake.accessLogs.name,
                      kmsKeyArn: keys.keys.operations.arn,
                      dataEventBucketArns: [lake.zones.raw.arn, lake.zones.curated.arn, lake.zones.analytics.arn],
                      logging: { retentionDays: config.logging.retentionDays, logGroupName: `${logRoot}/cloudtrail` },
                      account,
                      protection: config.protection,
                  },
                  { ...area, dependsOn: [lake] },
              )
            : undefined;

        this.outputs = platformOutputs({
            config,
            query,
            vpc,
            endpoints,
            flowLogs,
            keys,
            lake,
            streams,
            deliveries,
            kafka,
            catalog,
            etl,
            warehouse,
            pipeline,
            backfill,
            queue,
            alerts,
            warnings,
            alarms,
            trail,
            governance,
            model,
        });

        this.costEstimate = declared
            .estimate({ region: config.region, priceRegion: config.cost.priceRegion, usage: declaredLoadUsage(config), strict: config.cost.strictPrices, priceOverlay: config.cost.priceOverlay })
            .apply((estimate) => ({
                ...estimate,
                assumptions: [...estimate.assumptions, DECLARED_LOAD_ASSUMPTION],
                budget: { monthlyUsd: config.cost.monthlyBudgetUsd, warnAtPercent: config.cost.warnAtPercent },
            }));

        this.registerOutputs({ ...this.outputs, costEstimate: this.costEstimate });
    }
}

/**
 * One execution for a deploy-time function (the warehouse schema's, then the IAM_ALLOWED_PRINCIPALS
 * revocation's, counting the reservations of those before it) where the stack reserves the validator's
 * concurrency (its account's quota allows reservations) and the reservations still leave Lambda
 * its unreserved minimum (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html);
 * else none.
 */
function deployTimeReservation(validator: { reservedConcurrency?: number; accountConcurrencyQuota: number }, deployTimeFunctionsBefore = 0): number | undefined {
    if (validator.reservedConcurrency === undefined) return undefined;
    return validator.reservedConcurrency + deployTimeFunctionsBefore + 1 <= validator.accountConcurrencyQuota - LAMBDA_UNRESERVED_MINIMUM ? 1 : undefined;
}
