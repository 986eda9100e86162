import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type CataloguedZone, databaseName, isCataloguedZone, tableName } from "../../lib/governance";
import { icebergTable } from "../../lib/iceberg-table";
import { curatedTablePrefix, partitionKeys, storedColumns } from "../../lib/layout";
import type { LakeZone } from "../lake/data-lake";
import { glueRuntimeStatements } from "../shared/glue-permissions";
import { allowHttpsToAwsServices } from "../shared/security-group";
import { type AccountContext, glueCatalogArn } from "../shared/naming";
import type { PolicyStatement } from "../shared/policy-document";
import { type DataProtection, statefulOptions } from "../shared/protection";
import { createServiceRole } from "../shared/service-role";

/** One column of a domain's schema. */
export interface ColumnSpec {
    /** Column name, lower case as Glue stores it. */
    name: string;
    /** Glue / Hive type, e.g. `string`, `bigint`, `decimal(12,2)`. */
    type: string;
}

/** What the catalog needs to know of a data domain. */
export interface CatalogDomain {
    /**
     * Record field the raw zone is partitioned by before time (see lib/layout.ts).
     * @default none (raw is partitioned by arrival time only)
     */
    partitionKey?: string;
    /** Domain name: one database per zone, and the first key prefix segment in each zone. */
    name: string;
    /** The domain's columns, in order: the schema of its raw and curated tables. */
    columns: ColumnSpec[];
    /** Columns identifying a row (the curated table's MERGE key). */
    primaryKey: string[];
    /** The event-time column: the curated table is partitioned by its day. */
    eventTime: string;
    /**
     * Buckets of the first primary-key column in the curated table's partition spec.
     * @default none (the event day only)
     */
    hotKeyBuckets?: number;
}

/** Arguments of {@link GlueCatalog}. */
export interface GlueCatalogArgs {
    /**
     * Prefix of names, e.g. `lakehouse-prod`: IAM and security-configuration names use it as is,
     * catalog database names with underscores (`lakehouse_prod_raw_orders`, see lib/governance.ts).
     */
    namePrefix: string;
    /** Data domains: one database per zone and domain, and a table in each zone something writes. */
    domains: CatalogDomain[];
    /** Zone bucket names. */
    buckets: Record<LakeZone, pulumi.Input<string>>;
    /** Zone bucket ARNs. */
    bucketArns: Record<LakeZone, pulumi.Input<string>>;
    /** Lake key: catalog at rest, connection passwords, S3 data and job bookmarks. */
    lakeKeyArn: pulumi.Input<string>;
    /** Operations key: Glue's CloudWatch logs. */
    operationsKeyArn: pulumi.Input<string>;
    /** VPC and one private subnet (with its AZ) for the NETWORK connection. */
    network: {
        vpcId: pulumi.Input<string>;
        vpcCidr: string;
        subnetId: pulumi.Input<string>;
        availabilityZone: pulumi.Input<string>;
        /** Prefix list of the S3 gateway endpoint, for HTTPS egress to S3. */
        s3PrefixListId: pulumi.Input<string>;
        /**
         * Prefix list of the DynamoDB gateway endpoint: the jobs record their runs in the pipeline
         * state table, which they reach only with egress to it.
         * @default no DynamoDB egress
         */
        dynamodbPrefixListId?: pulumi.Input<string>;
    };
    /**
     * File size the curated Iceberg tables' writers and compaction aim at, in MiB.
     * @default 512
     */
    targetFileSizeMb?: number;
    /** Schedule of the raw-zone crawlers (EventBridge cron or rate syntax). */
    crawlerSchedule: string;
    /**
     * Manage the account-wide Data Catalog encryption settings (one per account and Region). Turn
     * off where another stack owns them.
     * @default true
     */
    manageCatalogEncryption?: boolean;
    /**
     * Fixed name of the crawlers' role (Lake Formation grants and the drift audit refer to it).
     * @default auto-named
     */
    crawlerRoleName?: string;
    /**
     * Fixed name of the curated tables' optimizer role (Lake Formation grants and the drift audit
     * refer to it).
     * @default auto-named
     */
    optimizerRoleName?: string;
    /**
     * Resources the databases wait for: the Lake Formation settings, so no database is created
     * with default IAM_ALLOWED_PRINCIPALS permissions.
     * @default []
     */
    databasesDependOn?: pulumi.Resource[];
    /** Account, partition and Region the catalog ARNs are written for. */
    account: AccountContext;
    /**
     * Protection of the catalog: databases protected and retained as the environment says, tables
     * and the account's catalog encryption settings protected as it says (the settings are always
     * retained on delete).
     */
    protection: DataProtection;
}

/** Parquet storage of a Glue table. */
const PARQUET = {
    inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    serDeInfo: { serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", parameters: { "serialization.format": "1" } },
};

/**
 * The Glue Data Catalog of the lake: a database per zone and domain, a table in the zones something
 * writes (raw: Parquet with partition keys, which doubles as Firehose's conversion schema; curated:
 * Apache Iceberg v2, partitioned by event day, written by the job's MERGE; analytics has databases
 * but no tables until its producer exists, see CATALOGUED_ZONES in lib/governance.ts), catalog
 * encryption with the lake key,
 * one security configuration for every job and crawler, a NETWORK connection so Glue runs inside
 * the VPC, and scheduled crawlers that add the raw zone's new partitions.
 */
export class GlueCatalog extends pulumi.ComponentResource {
    /** Database names by zone, then domain. */
    public readonly databases: Record<LakeZone, Record<string, pulumi.Output<string>>>;
    /** Table names by zone (those with tables), then domain. */
    public readonly tables: Record<CataloguedZone, Record<string, pulumi.Output<string>>>;
    /** Security configuration every job and crawler uses. */
    public readonly securityConfigurationName: pulumi.Output<string>;
    /** NETWORK connection that puts Glue in the private subnet. */
    public readonly connectionName: pulumi.Output<string>;
    /** Security group of Glue's ENIs. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** Role of the crawlers. */
    public readonly crawlerRoleArn: pulumi.Output<string>;
    /** Crawler names by domain. */
    public readonly crawlerNames: Record<string, pulumi.Output<string>>;
    /** Role Glue's table optimizers (compaction, snapshot retention, orphan-file deletion) of the curated tables assume. */
    public readonly optimizerRoleArn: pulumi.Output<string>;

    constructor(name: string, args: GlueCatalogArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:catalog:GlueCatalog", name, {}, opts);
        const child = { parent: this };
        const { account } = args;
        const zones: LakeZone[] = ["raw", "curated", "analytics"];

        // One setting for the whole account and Region. Deleting the resource does not restore an
        // earlier state: the provider puts empty settings, which turns catalog encryption off for
        // every database of the account (provider source internal/service/glue/data_catalog_encryption_settings.go):
        // Glue then writes new metadata unencrypted, and crawlers that processed the encrypted
        // catalog fail (https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html).
        // So it is retained whenever it leaves the program, and protected wherever the environment
        // protects its data.
        const encryption =
            (args.manageCatalogEncryption ?? true)
                ? new aws.glue.DataCatalogEncryptionSettings(
                      name,
                      {
                          dataCatalogEncryptionSettings: {
                              encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: args.lakeKeyArn },
                              connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, awsKmsKeyId: args.lakeKeyArn },
                          },
                      },
                      { ...child, retainOnDelete: true, protect: args.protection.protect },
                  )
                : undefined;

        const security = new aws.glue.SecurityConfiguration(
            name,
            {
                name: `${args.namePrefix}-glue`,
                encryptionConfiguration: {
                    s3Encryption: { s3EncryptionMode: "SSE-KMS", kmsKeyArn: args.lakeKeyArn },
                    cloudwatchEncryption: { cloudwatchEncryptionMode: "SSE-KMS", kmsKeyArn: args.operationsKeyArn },
                    jobBookmarksEncryption: { jobBookmarksEncryptionMode: "CSE-KMS", kmsKeyArn: args.lakeKeyArn },
                },
            },
            child,
        );
        this.securityConfigurationName = security.name;

        // Glue workers talk to each other on all TCP ports (a self-referencing rule AWS requires)
        // and to AWS services over HTTPS: endpoints inside the VPC and S3 through its gateway.
        const sg = new aws.ec2.SecurityGroup(`${name}-glue`, { vpcId: args.network.vpcId, description: "Glue job and crawler ENIs", tags: { Name: `${name}-glue` } }, child);
        new aws.vpc.SecurityGroupIngressRule(`${name}-glue-self`, { securityGroupId: sg.id, description: "Glue workers to each other", ipProtocol: "tcp", fromPort: 0, toPort: 65535, referencedSecurityGroupId: sg.id }, child);
        new aws.vpc.SecurityGroupEgressRule(`${name}-glue-self`, { securityGroupId: sg.id, description: "Glue workers to each other", ipProtocol: "tcp", fromPort: 0, toPort: 65535, referencedSecurityGroupId: sg.id }, child);
        allowHttpsToAwsServices(`${name}-glue`, sg.id, args.network, child);
        this.securityGroupId = sg.id;

        const connection = new aws.glue.Connection(
            name,
            {
                name: `${args.namePrefix}-vpc`,
                connectionType: "NETWORK",
                physicalConnectionRequirements: {
                    availabilityZone: args.network.availabilityZone,
                    subnetId: args.network.subnetId,
                    securityGroupIdLists: [sg.id],
                },
            },
            child,
        );
        this.connectionName = connection.name;

        const databases = { raw: {}, curated: {}, analytics: {} } as Record<LakeZone, Record<string, pulumi.Output<string>>>;
        const tables = { raw: {}, curated: {} } as Record<CataloguedZone, Record<string, pulumi.Output<string>>>;
        const rawTables: { domain: string; database: pulumi.Output<string>; table: pulumi.Output<string> }[] = [];
        for (const domain of args.domains) {
            for (const zone of zones) {
                const location = pulumi.interpolate`s3://${args.buckets[zone]}/${domain.name}/`;
                const database = new aws.glue.CatalogDatabase(
                    `${name}-${zone}-${domain.name}`,
                    {
                        name: databaseName(args.namePrefix, zone, domain.name),
                        description: `${zone} zone of the ${domain.name} domain`,
                        locationUri: location,
                        catalogId: account.accountId,
                    },
                    // Encryption applies to metadata written after it is set: a database or table
                    // written before it would stay unencrypted.
                    { ...child, ...statefulOptions(args.protection), dependsOn: [...(args.databasesDependOn ?? []), ...(encryption ? [encryption] : [])] },
                );
                databases[zone][domain.name] = database.name;
                if (!isCataloguedZone(zone)) continue;
                const table =
                    zone === "curated"
                        ? this.icebergTable(name, domain, database.name, pulumi.interpolate`s3://${args.buckets.curated}/${curatedTablePrefix(domain)}`, args)
                        : this.parquetTable(name, domain, database.name, location, args);
                tables[zone][domain.name] = table.name;
                if (zone === "raw") rawTables.push({ domain: domain.name, database: database.name, table: table.name });
            }
        }
        this.databases = databases;
        this.tables = tables;

        const catalogArn = glueCatalogArn(account);
        const crawlerStatements: PolicyStatement[] = [
            {
                Sid: "ReadRawZone",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:ListBucket"],
                Resource: [args.bucketArns.raw, pulumi.interpolate`${args.bucketArns.raw}/*`],
            },
            { Sid: "UseLakeKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: args.lakeKeyArn },
            { Sid: "EncryptLogs", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: args.operationsKeyArn },
            {
                Sid: "UpdateRawPartitions",
                Effect: "Allow",
                Action: ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions", "glue:BatchCreatePartition", "glue:BatchGetPartition", "glue:UpdateTable", "glue:UpdatePartition", "glue:GetConnection", "glue:GetSecurityConfiguration"],
                Resource: [
                    pulumi.interpolate`${catalogArn}:catalog`,
                    pulumi.interpolate`${catalogArn}:connection/${args.namePrefix}-vpc`,
                    // The platform's raw databases and tables by name pattern: one entry whatever the domain count.
                    pulumi.interpolate`${catalogArn}:database/${databaseName(args.namePrefix, "raw", "*")}`,
                    pulumi.interpolate`${catalogArn}:table/${databaseName(args.namePrefix, "raw", "*")}/*`,
                ],
            },
            ...glueRuntimeStatements(account, "/aws-glue/crawlers*", "WriteCrawlerLogs"),
        ];
        const crawlerRole = createServiceRole(
            `${name}-crawler`,
            { roleName: args.crawlerRoleName, description: "Glue crawlers: add new raw-zone partitions to the catalog", service: "glue.amazonaws.com", account, statements: crawlerStatements },
            child,
        );
        this.crawlerRoleArn = crawlerRole.arn;

        // The curated tables' optimizers: the permissions AWS lists for them
        // (https://docs.aws.amazon.com/glue/latest/dg/optimization-prerequisites.html): read, write
        // and delete the tables' files, read and update their catalog entries, write the optimizers'
        // logs; the curated zone is registered with Lake Formation, so data access also goes through
        // GetDataAccess with the table and location grants of lib/governance.ts.
        const curatedTables = pulumi.interpolate`${catalogArn}:table/${databaseName(args.namePrefix, "curated", "*")}/*`;
        const optimizerRole = createServiceRole(
            `${name}-table-optimizer`,
            {
                roleName: args.optimizerRoleName,
                description: "Glue table optimizers: compact the curated Iceberg tables, expire their snapshots, delete their orphan files",
                service: "glue.amazonaws.com",
                account,
                statements: [
                    { Sid: "ListCuratedZone", Effect: "Allow", Action: "s3:ListBucket", Resource: args.bucketArns.curated },
                    { Sid: "RewriteCuratedFiles", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: pulumi.interpolate`${args.bucketArns.curated}/*` },
                    // Data files (S3) and catalog entries (Glue writes an encrypted catalog with Encrypt too,
                    // https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html) use the lake key.
                    { Sid: "UseLakeKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: args.lakeKeyArn },
                    {
                        Sid: "CommitCuratedTables",
                        Effect: "Allow",
                        Action: ["glue:GetTable", "glue:UpdateTable"],
                        Resource: [pulumi.interpolate`${catalogArn}:catalog`, pulumi.interpolate`${catalogArn}:database/${databaseName(args.namePrefix, "curated", "*")}`, curatedTables],
                    },
                    { Sid: "ReadThroughLakeFormation", Effect: "Allow", Action: "lakeformation:GetDataAccess", Resource: "*" },
                    {
                        Sid: "WriteOptimizerLogs",
                        Effect: "Allow",
                        Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                        Resource: ["iceberg-compaction", "iceberg-retention", "iceberg-orphan-file-deletion"].map(
                            (kind) => pulumi.interpolate`arn:${account.partition}:logs:${account.region}:${account.accountId}:log-group:/aws-glue/${kind}/logs:*`,
                        ),
                    },
                ],
            },
            child,
        );
        this.optimizerRoleArn = optimizerRole.arn;

        this.crawlerNames = {};
        for (const raw of rawTables) {
            const crawler = new aws.glue.Crawler(
                `${name}-${raw.domain}`,
                {
                    name: `${args.namePrefix}-raw-${raw.domain}`,
                    role: crawlerRole.arn,
                    databaseName: raw.database,
                    schedule: args.crawlerSchedule,
                    securityConfiguration: security.name,
                    catalogTargets: [{ databaseName: raw.database, tables: [raw.table], connectionName: connection.name }],
                    // Catalog targets keep the declared schema: the crawler only logs drift and adds partitions.
                    schemaChangePolicy: { updateBehavior: "LOG", deleteBehavior: "LOG" },
                    configuration: JSON.stringify({ Version: 1.0, Grouping: { TableGroupingPolicy: "CombineCompatibleSchemas" } }),
                },
                child,
            );
            this.crawlerNames[raw.domain] = crawler.name;
        }

        this.registerOutputs({
            databases: this.databases,
            securityConfigurationName: this.securityConfigurationName,
            connectionName: this.connectionName,
        });
    }

    /** The raw zone's table: Parquet in the layout Firehose writes (lib/layout.ts), partitions added by the crawlers and the job. */
    private parquetTable(name: string, domain: CatalogDomain, databaseName: pulumi.Output<string>, location: pulumi.Output<string>, args: GlueCatalogArgs): aws.glue.CatalogTable {
        const zone: CataloguedZone = "raw";
        return new aws.glue.CatalogTable(
            `${name}-${zone}-${domain.name}`,
            {
                ...tableIdentity(zone, domain, databaseName, args),
                parameters: { classification: "parquet", EXTERNAL: "TRUE", "parquet.compression": "SNAPPY" },
                // One layout for every writer and reader (lib/layout.ts); a partition key is
                // not stored in the files, so it leaves the columns and keeps its type.
                partitionKeys: partitionKeys(domain, zone).map((key) => ({ name: key, type: domain.columns.find((c) => c.name === key)?.type ?? "string" })),
                storageDescriptor: {
                    location,
                    ...PARQUET,
                    columns: storedColumns(domain, zone, domain.columns).map((c) => ({ name: c.name, type: c.type })),
                },
            },
            // A replaced or deleted table loses its partitions and its Lake Formation tags; the
            // data itself stays in S3.
            { parent: this, protect: args.protection.protect },
        );
    }

    /**
     * The curated zone's table: Apache Iceberg v2 created by Glue from the domain's contract
     * (lib/iceberg-table.ts). Glue writes the first metadata file under the location; every commit
     * after it (the job's MERGE, compaction, snapshot expiry) moves the table's `metadata_location`
     * parameter and its storage descriptor, which the program must not undo: those and the
     * create-only Iceberg input are ignored after creation. A column added to the contract later is
     * added by the job (ALTER TABLE … ADD COLUMNS), not by replacing the table.
     */
    private icebergTable(name: string, domain: CatalogDomain, databaseName: pulumi.Output<string>, location: pulumi.Output<string>, args: GlueCatalogArgs): aws.glue.CatalogTable {
        const zone: CataloguedZone = "curated";
        const table = icebergTable(domain, { targetFileSizeMb: args.targetFileSizeMb ?? 512 });
        return new aws.glue.CatalogTable(
            `${name}-${zone}-${domain.name}`,
            {
                ...tableIdentity(zone, domain, databaseName, args),
                openTableFormatInput: {
                    icebergInput: {
                        metadataOperation: "CREATE",
                        version: "2",
                        icebergTableInput: {
                            location,
                            schema: { schemaId: 0, type: "struct", fields: table.fields },
                            partitionSpec: { specId: 0, fields: table.partitionFields },
                            properties: table.properties,
                        },
                    },
                },
            },
            // Replacing the table would drop its snapshots (the data stays in S3, orphaned).
            { parent: this, protect: args.protection.protect, ignoreChanges: ["parameters", "storageDescriptor", "openTableFormatInput"] },
        );
    }
}

/** What names a zone's table of a domain in the catalog, whatever its format. */
function tableIdentity(zone: CataloguedZone, domain: CatalogDomain, databaseName: pulumi.Output<string>, args: GlueCatalogArgs) {
    return { name: tableName(zone, domain.name), databaseName, catalogId: args.account.accountId, tableType: "EXTERNAL_TABLE" };
}
