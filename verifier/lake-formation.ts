/**
 * Lake Formation, evaluated from the recorded resources alone: which columns of which catalog
 * tables each principal may read (SELECT), through tag-expression grants, named-resource grants and
 * data cells filters, and which of those columns are PII.
 *
 * - LF-Tags: a database's tags apply to its tables and a table's to its columns, unless the table
 *   or column assigns the same key a value of its own
 *   (https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-assigning-tags.html).
 * - A tag-expression grant on TABLE matches a column when, for every key of the expression, the
 *   column's value is one of the key's values (AND across keys, OR within a key)
 *   (https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-creating-tag-expressions.html). A
 *   grant on DATABASE reads no table data.
 * - A named grant reads the columns it names: a table (or every table of a database with a
 *   wildcard), or `tableWithColumns` with column names or all columns but the excluded ones.
 * - SELECT on a data cells filter reads the filter's columns: its column names, or every column
 *   but its wildcard's excluded ones (https://docs.aws.amazon.com/lake-formation/latest/dg/data-filters-about.html).
 * - Permissions add up: a column is readable when any grant reads it.
 * - New tables give the principals of the settings' `createTableDefaultPermissions` their
 *   permissions (IAM_ALLOWED_PRINCIPALS: anyone IAM lets in).
 *
 * PII. A column is PII when its effective value of any LF-Tag key is a PII value (`pii` unless
 * told otherwise, the value the platform tags PII columns with). It is the column's own PII when
 * the column itself is assigned that value, inherited when it comes from its table or database (a
 * table classified as holding PII). A principal has PII access to a column only:
 * - through a TABLE tag-expression grant whose expression names that key's PII value: the grant
 *   declares that its principal reads PII;
 * - or, for a column whose PII value is inherited, through a data cells filter: the filter chooses
 *   the columns of a PII table the principal may read, column by column (a column tagged PII
 *   itself is what such a filter exists to hide).
 * Any other way to a PII column (a grant whose expression leaves the key out, a named grant, a
 * filter that keeps a column tagged PII, default permissions) reads PII without PII access.
 */
import type { PlanModel } from "./model";
import type { PlannedResource } from "./plan";
import { containsUnknown, isUnknown, type UnknownValue } from "./unknown";

/** The tag value PII columns carry unless the program says otherwise. */
export const DEFAULT_PII_VALUES = ["pii"];

/** The principal Lake Formation uses for "whoever IAM lets in" (no Lake Formation permission needed). */
export const IAM_ALLOWED_PRINCIPALS = "IAM_ALLOWED_PRINCIPALS";

/** A catalog table with its columns (data columns, then partition keys). */
export interface LfTable {
    database: string;
    name: string;
    columns: string[];
    /** `s3://…` location, as declared. */
    location?: string;
    urn: string;
}

/** Where a column's value of a key comes from. */
export type TagLevel = "database" | "table" | "column";

/** A column's effective value of one LF-Tag key. */
export interface EffectiveTag {
    value: string;
    level: TagLevel;
    /** The assignment it comes from. */
    urn: string;
}

/** One way a principal reads a column. */
export interface ReadRoute {
    kind: "tag-expression" | "named-table" | "named-columns" | "data-cells-filter" | "default-permissions";
    /** The grant (or settings) resource. */
    urn: string;
    /** How the report names it: `grant <name> (zone=[curated] AND classification=[public,internal])`. */
    label: string;
    /** Tag-expression grants: key → values. */
    expression?: Record<string, string[]>;
}

/** A column a principal may read, and every way it may. */
export interface ColumnRead {
    database: string;
    table: string;
    column: string;
    routes: ReadRoute[];
    /** Set when the column is PII: the key and value, and whether the column carries it itself. */
    pii?: { key: string; value: string; level: TagLevel };
    /** PII columns: the routes that give PII access (empty: read without PII access). */
    piiAccess?: ReadRoute[];
}

/** Options of {@link LakeFormationView}. */
export interface LakeFormationOptions {
    /**
     * LF-Tag values that mark PII (compared without case).
     * @default ["pii"]
     */
    piiValues?: string[];
}

interface TagAssignment {
    urn: string;
    tags: { key: string; value: string }[];
    database: string;
    /** Table name, or undefined for every table of the database (database assignments and table wildcards). */
    table?: string;
    level: TagLevel;
    /** Column assignments: the columns named, or every column but `excluded`. */
    columns?: string[];
    excluded?: string[];
}

interface DataGrant {
    urn: string;
    principal: string;
    route: Omit<ReadRoute, "urn">;
    /** The columns of `table` the grant reads. */
    reads: (table: LfTable) => string[];
}

const lower = (v: unknown) => String(v).toLowerCase();
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === "string") : []);
const READS = (permissions: unknown) => strings(permissions).some((p) => p === "SELECT" || p === "ALL");

/**
 * The Lake Formation model of a plan: tables, tag assignments, grants and filters, and what each
 * principal reads.
 */
export class LakeFormationView {
    readonly tables: LfTable[];
    /** Values the plan does not know that the evaluation needs (a preview): persona verdicts are then not judged. */
    readonly unknown: UnknownValue[] = [];
    private readonly assignments: TagAssignment[] = [];
    private readonly grants: DataGrant[] = [];
    private readonly piiValues: Set<string>;

    constructor(
        private readonly model: PlanModel,
        options: LakeFormationOptions = {},
    ) {
        this.piiValues = new Set((options.piiValues ?? DEFAULT_PII_VALUES).map(lower));
        this.tables = model.ofType("aws:glue/catalogTable:CatalogTable").map((t) => {
            // An Iceberg table created through the catalog declares its schema in its open table format input.
            const iceberg = t.inputs.openTableFormatInput?.icebergInput?.icebergTableInput;
            const hive = [...(t.inputs.storageDescriptor?.columns ?? []), ...(t.inputs.partitionKeys ?? [])];
            return {
                database: String(t.inputs.databaseName),
                name: lower(t.inputs.name ?? t.outputs?.name),
                columns: (hive.length > 0 ? hive : (iceberg?.schema?.fields ?? [])).map((c: any) => lower(c.name)),
                location: t.inputs.storageDescriptor?.location ?? iceberg?.location,
                urn: t.urn,
            };
        });
        for (const t of this.tables) if (isUnknown(t.database) || isUnknown(t.name)) this.unknown.push({ kind: "catalog table name", detail: `the name of table ${t.urn.split("::").pop()}` });
        for (const r of model.ofType("aws:lakeformation/resourceLfTags:ResourceLfTags")) this.readAssignment(r);
        for (const r of model.ofType("aws:lakeformation/permissions:Permissions")) this.readGrant(r);
        for (const r of model.ofType("aws:lakeformation/dataLakeSettings:DataLakeSettings")) this.readDefaults(r);
    }

    /** Whether a value is one of the PII values. */
    isPiiValue(value: string): boolean {
        return this.piiValues.has(lower(value));
    }

    /** The columns' effective LF-Tags: each key from the column, else its table, else its database. */
    effectiveTags(table: LfTable, column: string): Record<string, EffectiveTag> {
        const out: Record<string, EffectiveTag> = {};
        for (const level of ["database", "table", "column"] as TagLevel[]) {
            for (const a of this.assignments.filter((a) => a.level === level && a.database === table.database && (a.table === undefined || a.table === table.name))) {
                if (level === "column" && !(a.columns ? a.columns.includes(column) : !(a.excluded ?? []).includes(column))) continue;
                for (const { key, value } of a.tags) out[key] = { value, level, urn: a.urn };
            }
        }
        return out;
    }

    /** The column's PII tag, if it has one. */
    piiTag(table: LfTable, column: string): { key: string; value: string; level: TagLevel } | undefined {
        const tags = this.effectiveTags(table, column);
        const key = Object.keys(tags)
            .sort()
            .find((k) => this.isPiiValue(tags[k].value));
        return key ? { key, value: tags[key].value, level: tags[key].level } : undefined;
    }

    /** Every principal a grant lets read table data, in plan order. */
    readers(): string[] {
        return [...new Set(this.grants.map((g) => g.principal))];
    }

    /** Every column `principal` may read, with its routes and, for PII columns, its PII access. */
    columnReads(principal: string): ColumnRead[] {
        const mine = this.grants.filter((g) => g.principal === principal);
        const reads: ColumnRead[] = [];
        for (const table of this.tables) {
            for (const column of table.columns) {
                const routes = mine.filter((g) => g.reads(table).includes(column)).map((g) => ({ ...g.route, urn: g.urn }));
                if (routes.length === 0) continue;
                const pii = this.piiTag(table, column);
                const read: ColumnRead = { database: table.database, table: table.name, column, routes };
                if (pii) {
                    read.pii = pii;
                    read.piiAccess = routes.filter((r) => (r.kind === "tag-expression" && (r.expression?.[pii.key] ?? []).some((v) => this.isPiiValue(v))) || (r.kind === "data-cells-filter" && pii.level !== "column"));
                }
                reads.push(read);
            }
        }
        return reads;
    }

    /** The table `database.name` of the plan. */
    table(database: unknown, name: unknown): LfTable | undefined {
        return this.tables.find((t) => t.database === database && t.name === lower(name));
    }

    private readAssignment(r: PlannedResource): void {
        const tags = (Array.isArray(r.inputs.lfTags) ? r.inputs.lfTags : []).map((t: any) => ({ key: String(t.key), value: String(t.value) }));
        const { database, table, tableWithColumns } = r.inputs;
        if (containsUnknown([database, table, tableWithColumns, tags])) this.unknown.push({ kind: "LF-Tag assignment", detail: `what ${r.name} tags` });
        if (database) this.assignments.push({ urn: r.urn, tags, database: String(database.name), level: "database" });
        else if (table) this.assignments.push({ urn: r.urn, tags, database: String(table.databaseName), table: table.wildcard ? undefined : lower(table.name), level: "table" });
        else if (tableWithColumns) {
            const named = strings(tableWithColumns.columnNames);
            this.assignments.push({
                urn: r.urn,
                tags,
                database: String(tableWithColumns.databaseName),
                table: lower(tableWithColumns.name),
                level: "column",
                ...(named.length > 0 ? { columns: named.map(lower) } : { excluded: strings(tableWithColumns.excludedColumnNames).map(lower) }),
            });
        }
    }

    private readGrant(r: PlannedResource): void {
        const { principal, permissions, lfTagPolicy, table, tableWithColumns, dataCellsFilter } = r.inputs;
        if (!READS(permissions) || !(lfTagPolicy || table || tableWithColumns || dataCellsFilter)) return;
        if (typeof principal !== "string") return;
        if (isUnknown(principal)) {
            this.unknown.push({ kind: "principal (role) ARN", detail: `the principal of ${r.name}` });
            return;
        }
        const add = (route: Omit<ReadRoute, "urn">, reads: (t: LfTable) => string[]) => this.grants.push({ urn: r.urn, principal, route, reads });
        if (lfTagPolicy) {
            if (lfTagPolicy.resourceType !== "TABLE") return;
            const expression: Record<string, string[]> = Object.fromEntries((lfTagPolicy.expressions ?? lfTagPolicy.expression ?? []).map((e: any) => [String(e.key), strings(e.values)]));
            const text = Object.entries(expression)
                .map(([k, v]) => `${k}=[${v.join(",")}]`)
                .join(" AND ");
            add({ kind: "tag-expression", label: `tag grant ${r.name} (${text})`, expression }, (t) =>
                t.columns.filter((c) => {
                    const tags = this.effectiveTags(t, c);
                    return Object.entries(expression).every(([k, values]) => tags[k] !== undefined && values.includes(tags[k].value));
                }),
            );
        } else if (table) {
            const matches = (t: LfTable) => t.database === table.databaseName && (table.wildcard === true || t.name === lower(table.name));
            add({ kind: "named-table", label: `table grant ${r.name} (${table.databaseName}.${table.wildcard ? "*" : table.name})` }, (t) => (matches(t) ? t.columns : []));
        } else if (tableWithColumns) {
            const named = strings(tableWithColumns.columnNames).map(lower);
            const excluded = strings(tableWithColumns.excludedColumnNames).map(lower);
            const which = named.length > 0 ? named.join(", ") : `all but ${excluded.join(", ") || "none"}`;
            add({ kind: "named-columns", label: `column grant ${r.name} (${tableWithColumns.databaseName}.${tableWithColumns.name}: ${which})` }, (t) =>
                t.database === tableWithColumns.databaseName && t.name === lower(tableWithColumns.name) ? t.columns.filter((c) => (named.length > 0 ? named.includes(c) : !excluded.includes(c))) : [],
            );
        } else if (dataCellsFilter) {
            const filter = this.model
                .ofType("aws:lakeformation/dataCellsFilter:DataCellsFilter")
                .map((f) => f.inputs.tableData)
                .find((d) => d && d.name === dataCellsFilter.name && d.databaseName === dataCellsFilter.databaseName && lower(d.tableName) === lower(dataCellsFilter.tableName));
            if (!filter) {
                if (containsUnknown(dataCellsFilter)) this.unknown.push({ kind: "data cells filter", detail: `the filter ${r.name} grants` });
                // A grant on a filter the plan does not create reads nothing the plan can name.
                return;
            }
            const named = strings(filter.columnNames).map(lower);
            const excluded = strings(filter.columnWildcard?.excludedColumnNames).map(lower);
            add({ kind: "data-cells-filter", label: `filter ${filter.name} (${named.length > 0 ? named.join(", ") : `all but ${excluded.join(", ") || "none"}`})` }, (t) =>
                t.database === filter.databaseName && t.name === lower(filter.tableName) ? t.columns.filter((c) => (named.length > 0 ? named.includes(c) : !excluded.includes(c))) : [],
            );
        }
    }

    private readDefaults(r: PlannedResource): void {
        for (const d of Array.isArray(r.inputs.createTableDefaultPermissions) ? r.inputs.createTableDefaultPermissions : []) {
            if (typeof d?.principal !== "string" || !READS(d.permissions)) continue;
            this.grants.push({ urn: r.urn, principal: d.principal, route: { kind: "default-permissions", label: `default permissions of new tables (${r.name})` }, reads: (t) => t.columns });
        }
    }
}

const views = new WeakMap<PlanModel, LakeFormationView>();

/** The plan's Lake Formation view with the default PII values, built once per model. */
export function lakeFormationOf(model: PlanModel): LakeFormationView {
    let view = views.get(model);
    if (!view) {
        view = new LakeFormationView(model);
        views.set(model, view);
    }
    return view;
}
