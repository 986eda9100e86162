import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One Iceberg table to keep. */
export interface OptimizedTable {
    /** Domain the table belongs to (names the optimizers). */
    domain: string;
    /** Catalog database of the table. */
    databaseName: pulumi.Input<string>;
    /** The table's name. */
    tableName: pulumi.Input<string>;
}

/** How the tables are kept (config/tables.ts). */
export interface TableMaintenance {
    /** Days a snapshot stays available for time travel. */
    snapshotRetentionDays: number;
    /** Snapshots kept whatever their age. */
    snapshotsToRetain: number;
    /** Days a file no snapshot references is kept before deletion (longer than any job run). */
    orphanFileRetentionDays: number;
    /** Hours between snapshot-retention and orphan-file-deletion runs. */
    maintenanceRunRateHours: number;
}

/** Arguments of {@link TableOptimizers}. */
export interface TableOptimizersArgs {
    /** Catalog (account) id of the tables. */
    catalogId: pulumi.Input<string>;
    /** The Iceberg tables: every curated table. */
    tables: OptimizedTable[];
    /**
     * Role the optimizers assume, with the permissions AWS lists for them and the Lake Formation
     * grants on the tables and their location (the catalog component creates it; the governance
     * grants it, and this component's parent waits for those grants).
     */
    roleArn: pulumi.Input<string>;
    /** Snapshot and orphan-file retention, and how often they run. */
    maintenance: TableMaintenance;
    /**
     * What each optimizer waits for: the Lake Formation grants of its role (a component's
     * dependsOn does not reach the resources it creates, so they are passed here).
     * @default []
     */
    grantsReady?: pulumi.Input<pulumi.Resource>[];
}

/**
 * Glue's managed maintenance of the curated Apache Iceberg tables
 * (https://docs.aws.amazon.com/glue/latest/dg/table-optimizers.html), three optimizers per table:
 *
 * - **compaction** (bin-pack) rewrites the small files each run's MERGE leaves into files of the
 *   table's target size (`write.target-file-size-bytes`, lib/iceberg-table.ts), so scans by Athena,
 *   Spectrum and the jobs read few large files;
 * - **snapshot retention** expires snapshots older than the retention (keeping at least the
 *   number to retain) and deletes the files only they referenced, so time travel reaches back as
 *   far as the environment says (in a versioned bucket the deleted files stay billed until their
 *   noncurrent versions expire, lakehouse:lake.curated.noncurrentVersionExpirationDays);
 * - **orphan-file deletion** removes files under the table's location that no snapshot references
 *   (a failed run's writes), once older than a retention that outlasts any job run
 *   (config/tables.ts checks it against the job timeout).
 *
 * The optimizers run in AWS's network, not the VPC: the Pulumi AWS provider cannot set their VPC
 * configuration yet (hashicorp/terraform-provider-aws#44869), and the lake's buckets do not require
 * a VPC endpoint, so they reach S3 and the catalog with the role alone.
 */
export class TableOptimizers extends pulumi.ComponentResource {
    /** Optimizer resources by domain, then type. */
    public readonly optimizers: Record<string, Record<"compaction" | "retention" | "orphanFileDeletion", aws.glue.CatalogTableOptimizer>>;

    constructor(name: string, args: TableOptimizersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:catalog:TableOptimizers", name, {}, opts);
        const { maintenance } = args;
        this.optimizers = {};
        for (const table of args.tables) {
            const optimizer = (type: "compaction" | "retention" | "orphanFileDeletion", configuration: Partial<aws.types.input.glue.CatalogTableOptimizerConfiguration>) =>
                new aws.glue.CatalogTableOptimizer(
                    `${name}-${table.domain}-${type}`,
                    {
                        catalogId: args.catalogId,
                        databaseName: table.databaseName,
                        tableName: table.tableName,
                        type,
                        configuration: { roleArn: args.roleArn, enabled: true, ...configuration },
                    },
                    { parent: this, dependsOn: args.grantsReady ?? [] },
                );
            this.optimizers[table.domain] = {
                compaction: optimizer("compaction", { compactionConfiguration: { icebergConfiguration: { strategy: "binpack" } } }),
                retention: optimizer("retention", {
                    retentionConfiguration: {
                        icebergConfiguration: {
                            snapshotRetentionPeriodInDays: maintenance.snapshotRetentionDays,
                            numberOfSnapshotsToRetain: maintenance.snapshotsToRetain,
                            // Expired snapshots' files go too; otherwise storage grows with every run.
                            cleanExpiredFiles: true,
                            runRateInHours: maintenance.maintenanceRunRateHours,
                        },
                    },
                }),
                orphanFileDeletion: optimizer("orphanFileDeletion", {
                    orphanFileDeletionConfiguration: {
                        icebergConfiguration: { orphanFileRetentionPeriodInDays: maintenance.orphanFileRetentionDays, runRateInHours: maintenance.maintenanceRunRateHours },
                    },
                }),
            };
        }
        this.registerOutputs({});
    }
}
