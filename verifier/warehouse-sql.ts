/**
 * The SQL a plan runs in its warehouse, as recorded: `aws.redshiftdata.Statement` resources
 * (`sql`, `sqls`) and deploy-time invocations whose input carries `statements: [{ sql }]` or
 * `sqls: [...]`. Only what decides who reads the lake through the warehouse is read from it:
 * external schemas over the Data Catalog (Spectrum) and dynamic data masking attachments.
 */
import type { PlanModel } from "./model";

/** One recorded statement and the resource that runs it. */
export interface RecordedStatement {
    urn: string;
    sql: string;
}

/** `CREATE EXTERNAL SCHEMA … FROM DATA CATALOG DATABASE '<database>' IAM_ROLE '<role>'`. */
export interface ExternalSchema {
    name: string;
    database: string;
    /** The IAM role Lake Formation sees for the schema's queries (the last of a chain), or `SESSION` (each caller's own identity). */
    iamRole: string;
    urn: string;
}

/** `ATTACH MASKING POLICY <policy> ON <table>(<columns>) TO <grantee>`. */
export interface MaskingAttachment {
    policy: string;
    table: string;
    columns: string[];
    grantee: string;
    urn: string;
}

function statementsOf(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.flatMap((v) => (typeof v === "string" ? [v] : typeof v?.sql === "string" ? [v.sql] : []));
    return [];
}

/**
 * The statement and the statements it carries as string literals: DDL a procedure runs
 * (`CALL apply_if('<probe>', FALSE, 'GRANT ROLE …')`) is recorded as a literal, quotes doubled.
 */
function withCarried(sql: string): string[] {
    const carried = [...sql.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'")).filter((text) => /^\s*(CREATE|ALTER|GRANT|REVOKE|ATTACH|DETACH)\b/i.test(text));
    return [sql, ...carried];
}

/** Every SQL statement the plan records, in plan order (with the statements their literals carry). */
export function recordedStatements(model: PlanModel): RecordedStatement[] {
    const out: RecordedStatement[] = [];
    for (const r of model.ofType("aws:redshiftdata/statement:Statement")) for (const sql of [...statementsOf(r.inputs.sql), ...statementsOf(r.inputs.sqls)].flatMap(withCarried)) out.push({ urn: r.urn, sql });
    for (const r of model.ofType("aws:lambda/invocation:Invocation")) {
        let input: any;
        try {
            input = JSON.parse(String(r.inputs.input));
        } catch {
            continue;
        }
        for (const sql of [...statementsOf(input?.statements), ...statementsOf(input?.sqls)].flatMap(withCarried)) out.push({ urn: r.urn, sql });
    }
    return out;
}

const unquote = (name: string) => name.replace(/"/g, "");

/** The external schemas over the Data Catalog the recorded SQL creates. */
export function externalSchemas(model: PlanModel, statements = recordedStatements(model)): ExternalSchema[] {
    const defaultRole = model.ofType("aws:redshift/cluster:Cluster")[0]?.inputs.defaultIamRoleArn ?? model.ofType("aws:redshiftserverless/namespace:Namespace")[0]?.inputs.defaultIamRoleArn;
    const out: ExternalSchema[] = [];
    for (const { urn, sql } of statements) {
        const match = /^\s*CREATE\s+EXTERNAL\s+SCHEMA\s+(?:IF\s+NOT\s+EXISTS\s+)?("[^"]+"|[\w$]+)\s+FROM\s+DATA\s+CATALOG\b([\s\S]*)/i.exec(sql);
        if (!match) continue;
        const rest = match[2];
        const database = /\bDATABASE\s+'([^']+)'/i.exec(rest)?.[1];
        const role = /\bIAM_ROLE\s+(?:'([^']+)'|(default))/i.exec(rest);
        if (!database || !role) continue;
        const iamRole = role[2] ? String(defaultRole ?? "default") : role[1].split(",").pop()!.trim();
        out.push({ name: unquote(match[1]), database, iamRole: iamRole.toUpperCase() === "SESSION" ? "SESSION" : iamRole, urn });
    }
    return out;
}

/** The masking policy attachments the recorded SQL makes. */
export function maskingAttachments(model: PlanModel, statements = recordedStatements(model)): MaskingAttachment[] {
    const out: MaskingAttachment[] = [];
    for (const { urn, sql } of statements) {
        const match = /^\s*ATTACH\s+MASKING\s+POLICY\s+("[^"]+"|[\w$.]+)\s+ON\s+([\w$."]+)\s*\(([^)]*)\)(?:\s+USING\s*\([^)]*\))?\s+TO\s+(ROLE\s+("[^"]+"|[\w$]+)|PUBLIC|("[^"]+"|[\w$:]+))/i.exec(sql);
        if (!match) continue;
        out.push({
            policy: unquote(match[1]),
            table: unquote(match[2]),
            columns: match[3].split(",").map((c) => unquote(c.trim()).toLowerCase()),
            grantee: match[5] ? `role ${unquote(match[5])}` : match[4].toUpperCase() === "PUBLIC" ? "PUBLIC" : unquote(match[6] ?? match[4]),
            urn,
        });
    }
    return out;
}

/**
 * Database roles held by the users IAM roles sign in as: `GRANT ROLE <role> TO "IAMR:<role name>"`
 * (GetClusterCredentialsWithIAM and Serverless GetCredentials sign an IAM role in as `IAMR:<name>`;
 * https://docs.aws.amazon.com/redshift/latest/mgmt/generating-iam-credentials-role-permissions.html).
 * IAM role name → database roles.
 */
export function iamRoleMemberships(model: PlanModel, statements = recordedStatements(model)): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const { sql } of statements) {
        const match = /^\s*GRANT\s+ROLE\s+("[^"]+"|[\w$]+)\s+TO\s+"IAMR:([^"]+)"/i.exec(sql);
        if (!match) continue;
        const role = unquote(match[1]);
        out.set(match[2], [...new Set([...(out.get(match[2]) ?? []), role])]);
    }
    return out;
}

/** `GRANT SELECT [(columns)] ON <table> TO ROLE <role>`: database role → what it selects (columns undefined: the whole table). */
export function selectGrants(model: PlanModel, statements = recordedStatements(model)): Map<string, { table: string; columns?: string[] }[]> {
    const out = new Map<string, { table: string; columns?: string[] }[]>();
    for (const { sql } of statements) {
        const match = /^\s*GRANT\s+SELECT\s*(?:\(([^)]*)\))?\s+ON\s+(?:TABLE\s+)?([\w$."]+)\s+TO\s+ROLE\s+("[^"]+"|[\w$]+)/i.exec(sql);
        if (!match) continue;
        const role = unquote(match[3]);
        out.set(role, [...(out.get(role) ?? []), { table: unquote(match[2]), ...(match[1] ? { columns: match[1].split(",").map((c) => unquote(c.trim()).toLowerCase()) } : {}) }]);
    }
    return out;
}
