/**
 * The declared Lake Formation model, computed once from configuration: LF-Tags and their values,
 * the tags of every database, the tag-expression grants per persona and per service role, the
 * location grants and the registered locations. The governance component deploys it and the drift
 * audit compares the live account with it, so declared and expected never diverge.
 */

/** Lake zones Lake Formation governs: each is registered, has a database per domain and is a value of the `zone` tag. */
export const GOVERNED_ZONES = ["raw", "curated", "analytics"] as const;
export type GovernedZone = (typeof GOVERNED_ZONES)[number];

/**
 * Zones with catalog tables: those something writes (Firehose lands raw, the ETL job writes
 * curated). The analytics zone keeps its bucket, registration and databases, so tag-expression
 * grants naming it stay valid and its producer (a later issue) has somewhere to land, but has no
 * tables until that producer exists: nothing is granted, tagged or read on tables nobody writes.
 */
export const CATALOGUED_ZONES = ["raw", "curated"] as const satisfies readonly GovernedZone[];
export type CataloguedZone = (typeof CATALOGUED_ZONES)[number];

/** First slot of the grants declared after the per-domain ones (see {@link TagGrant.slot}). */
export const LATE_GRANT_SLOT = 10_000;

/** LF-Tag keys of the platform. */
export const TAG_DOMAIN = "domain";
export const TAG_ZONE = "zone";
export const TAG_CLASSIFICATION = "classification";

/** Permissions a grant may name, by the resource type of its tag expression. */
export const PERMISSIONS_BY_RESOURCE = {
    DATABASE: ["ALL", "ALTER", "CREATE_TABLE", "DESCRIBE", "DROP"],
    TABLE: ["ALL", "ALTER", "DELETE", "DESCRIBE", "DROP", "INSERT", "SELECT"],
} as const;
export type GrantResourceType = keyof typeof PERMISSIONS_BY_RESOURCE;

/** Who a grant is for: a persona's role ARN, or one of the platform's service roles. */
export type Principal = { kind: "role-arn"; arn: string } | { kind: "service"; role: ServiceRole };
/** The platform's service roles that need Lake Formation permissions. */
export type ServiceRole = { service: "glue-jobs" } | { service: "glue-crawler" } | { service: "firehose"; domain: string } | { service: "warehouse" } | { service: "table-optimizer" };

/** A tag-expression grant. */
export interface TagGrant {
    /** Persona or service the grant serves, for reports. */
    purpose: string;
    principal: Principal;
    resourceType: GrantResourceType;
    /** Tag key → allowed values (AND across keys, OR within values). */
    expression: Record<string, string[]>;
    permissions: string[];
    /**
     * The grant's place in the model, which names its resource (`<governance>-grant-<purpose>-<slot>`).
     * A retired grant keeps its slot, so no later grant is renamed: a renamed grant is created
     * again (granting what is already granted) and its old self then deleted, which revokes it.
     */
    slot: number;
}

/** A data-location grant (DATA_LOCATION_ACCESS on a registered location). */
export interface LocationGrant {
    purpose: string;
    principal: Principal;
    zone: GovernedZone;
}

/** Input to the model: the parts of the platform configuration governance reads. */
export interface GovernanceInput {
    /** `lakehouse-<env>`: names and role names derive from it. */
    namePrefix: string;
    domains: { name: string; transport: "kinesis" | "msk"; columns: { name: string; pii: boolean }[] }[];
    /** Classification values declared for the `classification` tag. */
    classifications: string[];
    /** Classification of each domain's databases. */
    databaseClassification: Record<string, string>;
    personas: Record<
        string,
        {
            roleArns: string[];
            grants: { resourceType: GrantResourceType; permissions: string[]; expression: Record<string, string[]> }[];
            /** The persona reads PII tables through the column filters. */
            usePiiFilters?: boolean;
        }
    >;
    /** Tables whose classification differs from their database's (e.g. a curated table holding PII). */
    tableClassification?: { domain: string; zone: GovernedZone; classification: string }[];
    /** Give each curated table with PII columns a filter hiding them. */
    piiFilters?: boolean;
    /**
     * The classification value PII columns are tagged with, so a tag-expression grant that does not
     * name it never includes them.
     * @default "pii"
     */
    piiClassification?: string;
}

/** A data cells filter hiding the PII columns of a curated table. */
export interface PiiFilter {
    name: string;
    database: string;
    table: string;
    /** Columns the filter hides. */
    columns: string[];
}

/** The whole declared model. */
export interface GovernanceModel {
    tags: Record<string, string[]>;
    /** Database name → its tag values. */
    databaseTags: Record<string, Record<string, string>>;
    /** `<database>.<table>` → tag values overriding the database's, where declared. */
    tableTags: Record<string, Record<string, string>>;
    /**
     * `<database>.<table>` → column → its classification, for the columns classified above their
     * table (PII columns, in every table: raw and curated).
     */
    columnTags: Record<string, Record<string, string>>;
    tagGrants: TagGrant[];
    locationGrants: LocationGrant[];
    piiFilters: PiiFilter[];
    /** Roles granted SELECT through every PII filter. */
    piiFilterRoles: string[];
}

/** Glue database name of a zone and domain (the catalog component names its databases with it). */
export function databaseName(namePrefix: string, zone: string, domain: string): string {
    return `${namePrefix.replace(/-/g, "_")}_${zone}_${domain}`;
}

/** Catalog table name of a domain in a zone with tables (the catalog component names its tables with it). */
export function tableName(_zone: CataloguedZone, domain: string): string {
    return domain;
}

/** Whether a zone has catalog tables. */
export function isCataloguedZone(zone: string): zone is CataloguedZone {
    return (CATALOGUED_ZONES as readonly string[]).includes(zone);
}

/** Deterministic IAM role names of the service roles, so the audit can compute their ARNs. */
export function serviceRoleName(namePrefix: string, role: ServiceRole): string {
    switch (role.service) {
        case "glue-jobs":
            return `${namePrefix}-glue-jobs`;
        case "glue-crawler":
            return `${namePrefix}-glue-crawler`;
        case "firehose":
            return `${namePrefix}-firehose-${role.domain}`;
        case "warehouse":
            return `${namePrefix}-warehouse-lake`;
        case "table-optimizer":
            return `${namePrefix}-table-optimizer`;
    }
}

/** Name of the `index`-th PII column filter. */
export function piiFilterName(namePrefix: string, index: number): string {
    return `${namePrefix}-pii-hidden-${index}`;
}

/** Name of the role Lake Formation uses to access registered locations. */
export function registrationRoleName(namePrefix: string): string {
    return `${namePrefix}-lf-registration`;
}

/** Name of the role of the function that revokes IAM_ALLOWED_PRINCIPALS, a Lake Formation administrator of its stack. */
export function revocationRoleName(namePrefix: string): string {
    return `${namePrefix}-lf-revocation`;
}

export function governanceModel(input: GovernanceInput): GovernanceModel {
    const domains = input.domains.map((d) => d.name);
    const tags: Record<string, string[]> = {
        [TAG_DOMAIN]: [...domains].sort(),
        [TAG_ZONE]: [...GOVERNED_ZONES],
        [TAG_CLASSIFICATION]: [...input.classifications],
    };

    const databaseTags: Record<string, Record<string, string>> = {};
    for (const domain of domains) {
        for (const zone of GOVERNED_ZONES) {
            databaseTags[databaseName(input.namePrefix, zone, domain)] = {
                [TAG_DOMAIN]: domain,
                [TAG_ZONE]: zone,
                [TAG_CLASSIFICATION]: input.databaseClassification[domain],
            };
        }
    }

    // A null entry is a retired grant's slot (see TagGrant.slot).
    const ordered: (Omit<TagGrant, "slot"> | null)[] = [];
    for (const [persona, spec] of Object.entries(input.personas)) {
        for (const arn of spec.roleArns) {
            for (const grant of spec.grants) {
                ordered.push({ purpose: persona, principal: { kind: "role-arn", arn }, resourceType: grant.resourceType, expression: grant.expression, permissions: [...grant.permissions].sort() });
            }
        }
    }

    const service = (role: ServiceRole): Principal => ({ kind: "service", role });
    // Glue jobs read raw tables, register the raw partitions they read (BatchCreatePartition: ALTER,
    // as the crawlers have; https://docs.aws.amazon.com/lake-formation/latest/dg/lf-permissions-reference.html),
    // and create and alter tables in the curated zone; their MERGE into the curated Iceberg tables
    // inserts, and deletes or replaces rows.
    ordered.push(
        { purpose: "glue-jobs", principal: service({ service: "glue-jobs" }), resourceType: "TABLE", expression: { [TAG_ZONE]: ["raw"] }, permissions: ["ALTER", "DESCRIBE", "SELECT"] },
        { purpose: "glue-jobs", principal: service({ service: "glue-jobs" }), resourceType: "DATABASE", expression: { [TAG_ZONE]: ["curated"] }, permissions: ["ALTER", "CREATE_TABLE", "DESCRIBE"] },
        { purpose: "glue-jobs", principal: service({ service: "glue-jobs" }), resourceType: "TABLE", expression: { [TAG_ZONE]: ["curated"] }, permissions: ["ALTER", "DELETE", "DESCRIBE", "INSERT", "SELECT"] },
        // Crawlers add raw partitions.
        { purpose: "glue-crawler", principal: service({ service: "glue-crawler" }), resourceType: "DATABASE", expression: { [TAG_ZONE]: ["raw"] }, permissions: ["ALTER", "CREATE_TABLE", "DESCRIBE"] },
        { purpose: "glue-crawler", principal: service({ service: "glue-crawler" }), resourceType: "TABLE", expression: { [TAG_ZONE]: ["raw"] }, permissions: ["ALTER", "DESCRIBE", "SELECT"] },
        // The warehouse's slot (SELECT on analytics tables for Spectrum) is empty: it loads curated
        // files with COPY (S3 and the lake key, not the catalog), and the analytics zone has no
        // tables until its producer exists.
        null,
    );
    for (const domain of input.domains.map((d) => d.name)) {
        // Firehose (every domain lands through one, from its stream or its topic) reads its schema table.
        ordered.push({
            purpose: `firehose-${domain}`,
            principal: service({ service: "firehose", domain }),
            resourceType: "TABLE",
            expression: { [TAG_DOMAIN]: [domain], [TAG_ZONE]: ["raw"] },
            permissions: ["DESCRIBE"],
        });
    }

    const tagGrants: TagGrant[] = ordered.flatMap((grant, slot) => (grant ? [{ ...grant, slot }] : []));
    // Grants added after the per-domain ones take fixed slots from LATE_GRANT_SLOT, so adding a
    // domain (or a persona) never renames them: a renamed grant is revoked by its old self's deletion.
    const late: Omit<TagGrant, "slot">[] = [
        // Glue's table optimizers rewrite, expire and delete the curated Iceberg tables' files and
        // commit new metadata (https://docs.aws.amazon.com/glue/latest/dg/optimization-prerequisites.html).
        {
            purpose: "table-optimizer",
            principal: service({ service: "table-optimizer" }),
            resourceType: "TABLE",
            expression: { [TAG_ZONE]: ["curated"] },
            permissions: ["ALTER", "DELETE", "DESCRIBE", "INSERT", "SELECT"],
        },
    ];
    tagGrants.push(...late.map((grant, i) => ({ ...grant, slot: LATE_GRANT_SLOT + i })));

    const locationGrants: LocationGrant[] = [
        { purpose: "glue-jobs", principal: service({ service: "glue-jobs" }), zone: "curated" },
        { purpose: "glue-crawler", principal: service({ service: "glue-crawler" }), zone: "raw" },
        { purpose: "table-optimizer", principal: service({ service: "table-optimizer" }), zone: "curated" },
    ];

    const tableTags: Record<string, Record<string, string>> = {};
    for (const t of input.tableClassification ?? []) {
        // validateGovernance refuses the others: there is no table to tag.
        if (!isCataloguedZone(t.zone)) continue;
        tableTags[`${databaseName(input.namePrefix, t.zone, t.domain)}.${tableName(t.zone, t.domain)}`] = { [TAG_CLASSIFICATION]: t.classification };
    }

    const piiFilters: PiiFilter[] = input.piiFilters
        ? input.domains
              .filter((d) => d.columns.some((c) => c.pii))
              .map((d, i) => ({
                  name: piiFilterName(input.namePrefix, i),
                  database: databaseName(input.namePrefix, "curated", d.name),
                  table: tableName("curated", d.name),
                  columns: d.columns.filter((c) => c.pii).map((c) => c.name),
              }))
        : [];
    const piiFilterRoles = Object.values(input.personas)
        .filter((p) => p.usePiiFilters)
        .flatMap((p) => p.roleArns);

    // Classification is per column where it matters: a grant on tables classified public or internal
    // must never reach a PII column, whatever its table's classification (Lake Formation evaluates a
    // column's own tag before its table's and database's, and grants only add up).
    const piiClassification = input.piiClassification ?? DEFAULT_PII_CLASSIFICATION;
    const columnTags: Record<string, Record<string, string>> = {};
    for (const d of input.domains) {
        const pii = d.columns.filter((c) => c.pii).map((c) => c.name);
        if (pii.length === 0) continue;
        for (const zone of CATALOGUED_ZONES) {
            columnTags[`${databaseName(input.namePrefix, zone, d.name)}.${tableName(zone, d.name)}`] = Object.fromEntries(pii.map((c) => [c, piiClassification]));
        }
    }

    return { tags, databaseTags, tableTags, columnTags, tagGrants, locationGrants, piiFilters, piiFilterRoles };
}

/** The classification PII columns get unless configured otherwise. */
export const DEFAULT_PII_CLASSIFICATION = "pii";

/** A problem with the governance input: where, what was given, what is allowed. */
export interface GovernanceIssue {
    path: (string | number)[];
    input: unknown;
    message: string;
}

/** Checks that grants name only declared tags, values and permissions, and that every domain is classified. */
export function validateGovernance(input: GovernanceInput): GovernanceIssue[] {
    const issues: GovernanceIssue[] = [];
    const declared: Record<string, string[]> = {
        [TAG_DOMAIN]: input.domains.map((d) => d.name),
        [TAG_ZONE]: [...GOVERNED_ZONES],
        [TAG_CLASSIFICATION]: input.classifications,
    };
    for (const d of input.domains) {
        const value = input.databaseClassification[d.name];
        if (value === undefined || !input.classifications.includes(value)) {
            issues.push({ path: ["databaseClassification", d.name], input: value, message: `expected one of: ${input.classifications.join(", ")}` });
        }
    }
    // A classification of no declared domain is a typo or a removed domain: it would classify nothing.
    for (const [domain, value] of Object.entries(input.databaseClassification)) {
        if (!declared[TAG_DOMAIN].includes(domain)) {
            issues.push({ path: ["databaseClassification", domain], input: value, message: `expected a key naming a declared domain (${declared[TAG_DOMAIN].join(", ")}): no domain ${domain} is declared` });
        }
    }
    const piiClassification = input.piiClassification ?? DEFAULT_PII_CLASSIFICATION;
    if (input.domains.some((d) => d.columns.some((c) => c.pii)) && !input.classifications.includes(piiClassification)) {
        issues.push({ path: ["piiClassification"], input: piiClassification, message: `expected one of: ${input.classifications.join(", ")} (PII columns are tagged with it)` });
    }
    (input.tableClassification ?? []).forEach((t, i) => {
        if (!isCataloguedZone(t.zone)) {
            issues.push({ path: ["tableClassification", i, "zone"], input: t.zone, message: `expected a zone with catalog tables: ${CATALOGUED_ZONES.join(", ")}` });
        }
        if (!declared[TAG_DOMAIN].includes(t.domain)) issues.push({ path: ["tableClassification", i, "domain"], input: t.domain, message: `expected a declared domain: ${declared[TAG_DOMAIN].join(", ")}` });
        if (!input.classifications.includes(t.classification)) {
            issues.push({ path: ["tableClassification", i, "classification"], input: t.classification, message: `expected one of: ${input.classifications.join(", ")}` });
        }
    });
    for (const [persona, spec] of Object.entries(input.personas)) {
        spec.grants.forEach((grant, i) => {
            const at = ["personas", persona, "grants", i];
            const allowed = PERMISSIONS_BY_RESOURCE[grant.resourceType] as readonly string[];
            grant.permissions.forEach((p, j) => {
                if (!allowed.includes(p)) issues.push({ path: [...at, "permissions", j], input: p, message: `expected one of: ${allowed.join(", ")} (for ${grant.resourceType})` });
            });
            for (const [key, values] of Object.entries(grant.expression)) {
                if (!declared[key]) {
                    issues.push({ path: [...at, "expression", key], input: values, message: `expected an LF-Tag of the platform: ${Object.keys(declared).join(", ")}` });
                    continue;
                }
                values.forEach((v, j) => {
                    if (!declared[key].includes(v)) issues.push({ path: [...at, "expression", key, j], input: v, message: `expected one of: ${declared[key].join(", ")}` });
                });
            }
        });
    }
    return issues;
}
