import { governanceInput } from "../../config/governance";
import type { PlatformConfig } from "../../config/loader";
import { lakeBucketName } from "../../lib/naming";
import { GOVERNED_ZONES, governanceModel, type Principal, registrationRoleName, revocationRoleName, serviceRoleName, TAG_CLASSIFICATION } from "../../lib/governance";

/** Where the expected state lives. */
export interface AuditTarget {
    accountId: string;
    region: string;
    partition: string;
}

/** A grant as Lake Formation lists it, normalised to a comparable key. */
export interface GrantKey {
    principal: string;
    /** Canonical description of the resource, e.g. `LFTagPolicy TABLE zone=analytics`. */
    resource: string;
    permissions: string[];
}

/** What the account should look like, computed from the same model the component deploys. */
export interface ExpectedState {
    admins: string[];
    tags: Record<string, string[]>;
    databaseTags: Record<string, Record<string, string>>;
    /** `<database>.<table>` → declared table tags. */
    tableTags: Record<string, Record<string, string>>;
    /** `<database>.<table>` → column → declared classification (PII columns). */
    columnTags: Record<string, Record<string, string>>;
    grants: GrantKey[];
    /** S3 ARNs of the zone buckets, each registered with the registration role. */
    locations: { arn: string; roleArn: string }[];
    /** The lake's databases, whose grants the audit owns. */
    databases: string[];
}

/** What the audit read from the account. */
export interface LiveState {
    admins: string[];
    defaultPermissions: { scope: "database" | "table"; principal: string; permissions: string[] }[];
    grants: (GrantKey & { grantable: string[] })[];
    tags: Record<string, string[]>;
    databaseTags: Record<string, Record<string, string[]>>;
    tableTags: Record<string, Record<string, string[]>>;
    /** `<database>.<table>` → column → its own LF-Tags (values by key). */
    columnTags: Record<string, Record<string, Record<string, string[]>>>;
    locations: { arn: string; roleArn?: string }[];
}

export type FindingKind = "missing-grant" | "unexpected-grant" | "iam-allowed-principals" | "administrator-drift" | "lf-tag-values" | "lf-tag-assignment" | "unregistered-location";

export interface Finding {
    kind: FindingKind;
    subject: string;
    detail: string;
}

export const IAM_ALLOWED_PRINCIPALS = "IAM_ALLOWED_PRINCIPALS";

/** Canonical text of an LF-Tag expression resource. */
export function tagPolicyResource(resourceType: string, expression: Record<string, string[]>): string {
    const parts = Object.keys(expression)
        .sort()
        .map((k) => `${k}=${[...expression[k]].sort().join("|")}`);
    return `LFTagPolicy ${resourceType} ${parts.join(" ")}`;
}

export function locationResource(arn: string): string {
    return `DataLocation ${arn}`;
}

export function filterResource(database: string, table: string, name: string): string {
    return `DataCellsFilter ${database}.${table}.${name}`;
}

/** The expected Lake Formation state of an environment. */
export function expectedState(config: PlatformConfig, target: AuditTarget): ExpectedState {
    const input = governanceInput(config);
    const prefix = input.namePrefix;
    const model = governanceModel(input);
    const roleArn = (name: string) => `arn:${target.partition}:iam::${target.accountId}:role/${name}`;
    const principal = (p: Principal) => (p.kind === "role-arn" ? p.arn : roleArn(serviceRoleName(prefix, p.role)));
    const bucketArn = (zone: string) => `arn:${target.partition}:s3:::${lakeBucketName(prefix, zone, target.accountId, target.region)}`;

    const grants: GrantKey[] = [
        ...model.tagGrants.map((g) => ({ principal: principal(g.principal), resource: tagPolicyResource(g.resourceType, g.expression), permissions: [...g.permissions].sort() })),
        ...model.locationGrants.map((g) => ({ principal: principal(g.principal), resource: locationResource(bucketArn(g.zone)), permissions: ["DATA_LOCATION_ACCESS"] })),
        ...model.piiFilters.flatMap((f) =>
            model.piiFilterRoles.map((role) => ({ principal: role, resource: filterResource(f.database, f.table, f.name), permissions: ["SELECT"] })),
        ),
    ];
    return {
        // The revocation function's role is an administrator of every stack (LakeFormationSettings stackAdministrators).
        admins: [...new Set([...config.governance.administrators, ...(config.governance.deployerRoleArn ? [config.governance.deployerRoleArn] : []), roleArn(revocationRoleName(prefix))])].sort(),
        tags: model.tags,
        databaseTags: model.databaseTags,
        tableTags: model.tableTags,
        columnTags: model.columnTags,
        grants,
        locations: GOVERNED_ZONES.map((z) => ({ arn: bucketArn(z), roleArn: roleArn(registrationRoleName(prefix)) })),
        databases: Object.keys(model.databaseTags),
    };
}

/** Compares the live account with the expected state; one finding per difference. */
export function findDrift(expected: ExpectedState, live: LiveState): Finding[] {
    const findings: Finding[] = [];
    const admins = new Set(live.admins);

    for (const admin of expected.admins) if (!admins.has(admin)) findings.push({ kind: "administrator-drift", subject: admin, detail: "declared administrator is not a Lake Formation administrator" });
    for (const admin of live.admins) if (!expected.admins.includes(admin)) findings.push({ kind: "administrator-drift", subject: admin, detail: "administrator added outside the blueprint" });

    for (const d of live.defaultPermissions) {
        if (d.principal === IAM_ALLOWED_PRINCIPALS) {
            findings.push({ kind: "iam-allowed-principals", subject: `default ${d.scope} permissions`, detail: `new ${d.scope}s grant ${d.permissions.join(", ")} to IAM_ALLOWED_PRINCIPALS` });
        }
    }

    const lakeResource = (resource: string) =>
        expected.databases.some((db) => resource.includes(` ${db}`) || resource.includes(`${db}.`)) ||
        expected.locations.some((l) => resource === locationResource(l.arn)) ||
        (resource.startsWith("LFTagPolicy ") && Object.keys(expected.tags).some((k) => resource.includes(` ${k}=`)));

    for (const grant of live.grants) {
        if (grant.principal === IAM_ALLOWED_PRINCIPALS && lakeResource(grant.resource)) {
            findings.push({ kind: "iam-allowed-principals", subject: grant.resource, detail: `IAM_ALLOWED_PRINCIPALS holds ${grant.permissions.join(", ")}` });
        }
    }

    const covers = (liveGrant: GrantKey, want: GrantKey) =>
        liveGrant.principal === want.principal && liveGrant.resource === want.resource && want.permissions.every((p) => liveGrant.permissions.includes(p));
    for (const want of expected.grants) {
        if (!live.grants.some((g) => covers(g, want))) findings.push({ kind: "missing-grant", subject: want.principal, detail: `${want.permissions.join(", ")} on ${want.resource}` });
    }
    for (const grant of live.grants) {
        if (grant.principal === IAM_ALLOWED_PRINCIPALS || admins.has(grant.principal) || !lakeResource(grant.resource)) continue;
        const declared = expected.grants.some((want) => want.principal === grant.principal && want.resource === grant.resource && grant.permissions.every((p) => want.permissions.includes(p)));
        if (!declared || grant.grantable.length > 0) {
            findings.push({
                kind: "unexpected-grant",
                subject: grant.principal,
                detail: `${grant.permissions.join(", ")}${grant.grantable.length ? ` (grantable: ${grant.grantable.join(", ")})` : ""} on ${grant.resource}`,
            });
        }
    }

    for (const [key, values] of Object.entries(expected.tags)) {
        const liveValues = live.tags[key];
        if (!liveValues) {
            findings.push({ kind: "lf-tag-values", subject: key, detail: "LF-Tag does not exist" });
            continue;
        }
        const missing = values.filter((v) => !liveValues.includes(v));
        const extra = liveValues.filter((v) => !values.includes(v));
        if (missing.length) findings.push({ kind: "lf-tag-values", subject: key, detail: `missing values: ${missing.join(", ")}` });
        if (extra.length) findings.push({ kind: "lf-tag-values", subject: key, detail: `extra values: ${extra.join(", ")}` });
    }

    const assignments: [Record<string, Record<string, string>>, Record<string, Record<string, string[]>>][] = [
        [expected.databaseTags, live.databaseTags],
        [expected.tableTags, live.tableTags],
    ];
    for (const [declared, actual] of assignments) {
        for (const [resource, tags] of Object.entries(declared)) {
            const liveTags = actual[resource] ?? {};
            for (const [key, value] of Object.entries(tags)) {
                const liveValue = liveTags[key];
                if (liveValue?.length !== 1 || liveValue[0] !== value) {
                    findings.push({ kind: "lf-tag-assignment", subject: resource, detail: `${key} is ${liveValue?.join("|") ?? "unset"}, expected ${value}` });
                }
            }
        }
    }

    for (const [table, columns] of Object.entries(expected.columnTags)) {
        for (const [column, value] of Object.entries(columns)) {
            const liveValue = live.columnTags[table]?.[column]?.[TAG_CLASSIFICATION];
            if (liveValue?.length !== 1 || liveValue[0] !== value) {
                findings.push({ kind: "lf-tag-assignment", subject: `${table}.${column}`, detail: `${TAG_CLASSIFICATION} is ${liveValue?.join("|") ?? "unset"}, expected ${value}: the column is visible to grants that exclude ${value}` });
            }
        }
    }

    for (const location of expected.locations) {
        const registered = live.locations.find((l) => l.arn === location.arn);
        if (!registered) findings.push({ kind: "unregistered-location", subject: location.arn, detail: "lake zone is not registered with Lake Formation" });
        else if (registered.roleArn !== location.roleArn) {
            findings.push({ kind: "unregistered-location", subject: location.arn, detail: `registered with ${registered.roleArn ?? "the service-linked role"}, not ${location.roleArn}` });
        }
    }
    return findings;
}
