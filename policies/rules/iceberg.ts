/**
 * Apache Iceberg tables in the Glue Data Catalog keep themselves only with maintenance: every
 * commit adds files and a snapshot, so without compaction scans read ever more small files,
 * without snapshot retention storage grows with every run, and without orphan-file deletion the
 * files of failed writes stay forever. Glue's table optimizers do the three
 * (https://docs.aws.amazon.com/glue/latest/dg/table-optimizers.html). No public checker covers
 * them yet (Security Hub, Checkov and AWS Config have no Iceberg control): these rules are ours.
 */
import { StackIndex } from "../lib/stack";
import { resourceRule, stackRule } from "../lib/rule";

const TABLE = "aws:glue/catalogTable:CatalogTable";
const OPTIMIZER = "aws:glue/catalogTableOptimizer:CatalogTableOptimizer";
const OPTIMIZER_TYPES = ["compaction", "retention", "orphanFileDeletion"] as const;

/** Whether a catalog table is created as an Iceberg table. */
function isIceberg(props: Record<string, any>): boolean {
    return props.openTableFormatInput?.icebergInput !== undefined || String(props.parameters?.table_type ?? "").toUpperCase() === "ICEBERG";
}

const enabled = (value: unknown) => value === true || value === "true";

export const icebergPolicies = [
    stackRule({
        name: "iceberg-table-maintained",
        family: "DP",
        severity: "medium",
        description:
            "Every Iceberg table in the Glue catalog has Glue's three table optimizers, enabled: compaction, snapshot retention that deletes expired files, and orphan-file deletion.",
        remediation:
            "Add aws.glue.CatalogTableOptimizer resources of type compaction, retention (retentionConfiguration.icebergConfiguration.cleanExpiredFiles: true) and orphanFileDeletion for the table, with enabled: true.",
        refs: { isNew: true },
        check: (resources) => {
            const index = new StackIndex(resources);
            const optimizers = index.ofType(OPTIMIZER);
            return index
                .ofType(TABLE)
                .filter((table) => isIceberg(table.props))
                .flatMap((table) => {
                    const ofTable = optimizers.filter((o) => o.props.databaseName === table.props.databaseName && o.props.tableName === table.props.name);
                    const problems: string[] = [];
                    for (const type of OPTIMIZER_TYPES) {
                        const found = ofTable.filter((o) => o.props.type === type);
                        if (found.length === 0) problems.push(`no ${type} optimizer`);
                        else if (!found.some((o) => enabled(o.props.configuration?.enabled))) problems.push(`its ${type} optimizer is disabled`);
                    }
                    const retention = ofTable.find((o) => o.props.type === "retention");
                    // The provider's default is false: snapshots leave the metadata, their files stay in S3.
                    if (retention && !enabled(retention.props.configuration?.retentionConfiguration?.icebergConfiguration?.cleanExpiredFiles)) {
                        problems.push("its retention optimizer keeps expired snapshots' files (cleanExpiredFiles is not true)");
                    }
                    return problems.length ? [{ message: `table ${table.props.databaseName}.${table.props.name}: ${problems.join("; ")}`, resource: table }] : [];
                });
        },
    }),
    resourceRule({
        name: "iceberg-orphan-retention",
        family: "DP",
        severity: "high",
        description:
            "Orphan-file deletion keeps unreferenced files at least the configured days, longer than any write can stay uncommitted (a running job's new files are orphans until its commit).",
        remediation:
            "Raise orphanFileDeletionConfiguration.icebergConfiguration.orphanFileRetentionPeriodInDays (lakehouse:tables.orphanFileRetentionDays) above the longest job run.",
        refs: { isNew: true },
        params: { minDays: { type: "number", description: "fewest days an orphan file is kept", default: 3 } },
        types: [OPTIMIZER],
        check: ({ props }, params) => {
            if (props.type !== "orphanFileDeletion") return undefined;
            // Glue's default when unset is 3 days.
            const days = Number(props.configuration?.orphanFileDeletionConfiguration?.icebergConfiguration?.orphanFileRetentionPeriodInDays ?? 3);
            return days < params.minDays ? `orphan files are deleted after ${days} day${days === 1 ? "" : "s"}; keep them at least ${params.minDays}, or a running write loses its files` : undefined;
        },
    }),
];
