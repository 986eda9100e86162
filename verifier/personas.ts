/**
 * The persona report: for every principal Lake Formation lets read the lake that is not one of the
 * plan's service roles, which columns of which tables it reads, through which engines, and whether
 * any of them is PII it has no PII access to (see lake-formation.ts for both definitions).
 *
 * Engines:
 * - Athena: the workgroups whose policies (those the plan attaches to the persona's role) let it
 *   start queries; Athena reads exactly the Lake Formation columns
 *   (https://docs.aws.amazon.com/athena/latest/ug/security-athena-lake-formation.html). The path
 *   hops themselves (workgroup, results and key, catalog, data) are `athena.persona-workgroup`.
 * - Spectrum: Lake Formation sees the IAM role of the external schema, so every database user the
 *   schema is granted to reads what that role reads; with `IAM_ROLE 'SESSION'` each user's own
 *   identity applies (https://docs.aws.amazon.com/lake-formation/latest/dg/RSPC-lf.html).
 * - Redshift tables: database roles, grants and masking are the warehouse's own SQL; which
 *   database role a persona's IAM role signs in as is not recorded, so it is reported, not judged.
 */
import type { HopResult } from "./index";
import { type ColumnRead, type LakeFormationView, lakeFormationOf } from "./lake-formation";
import type { PlanModel, PolicyStatement } from "./model";
import { parsePolicy } from "./model";
import { workgroupArn } from "./requirements/athena";
import { notJudgedReason, unknownKinds } from "./unknown";
import { externalSchemas, iamRoleMemberships, maskingAttachments, selectGrants } from "./warehouse-sql";

/** How Lake Formation is evaluated and who has PII access: rule, definition, AWS documentation (rendered by `npm run verifier:docs`). */
export const PERSONA_RULES: [string, string, string?][] = [
    ["Tags", "a database's LF-Tags apply to its tables and a table's to its columns, unless the table or column assigns the key a value of its own.", "https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-assigning-tags.html"],
    ["Tag-expression grants", "SELECT (or ALL) on TABLE reads a column when, for every key of the expression, the column's effective value is one of the key's values (AND across keys, OR within a key); DATABASE grants read no table data.", "https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-creating-tag-expressions.html"],
    ["Named grants", "a table grant reads every column of the table (of every table with a wildcard); a column grant reads the columns it names, or every column but the excluded ones.", "https://docs.aws.amazon.com/lake-formation/latest/dg/granting-table-permissions.html"],
    ["Data cells filters", "SELECT on a filter reads the filter's columns: its column names, or every column but its wildcard's excluded ones. Grants add up.", "https://docs.aws.amazon.com/lake-formation/latest/dg/data-filters-about.html"],
    ["Default permissions", "the settings' `createTableDefaultPermissions` give their principals (IAM_ALLOWED_PRINCIPALS: anyone IAM lets in) every column of new tables."],
    ["PII column", "a column whose effective value of any LF-Tag key is `pii` (compared without case): its own when the column is assigned the value, inherited when its table or database is."],
    [
        "PII access",
        "a principal has PII access to a PII column only through a TABLE tag-expression grant whose values for that key name the PII value, or, for an inherited PII value, through a data cells filter (which picks a PII table's columns one by one). A grant whose expression leaves the key out, a named grant, a filter that keeps a column tagged PII itself, or default permissions read PII without PII access: the hop is exposed (broken).",
    ],
    ["Athena", "the persona reads its Lake Formation columns in every workgroup whose policies (attached by the plan to its role, by name) let it start queries.", "https://docs.aws.amazon.com/athena/latest/ug/security-athena-lake-formation.html"],
    ["Spectrum", "Lake Formation sees an external schema's IAM role, so every user granted the schema reads what the role reads; with IAM_ROLE 'SESSION' each user's own identity applies.", "https://docs.aws.amazon.com/lake-formation/latest/dg/RSPC-lf.html"],
    ["Redshift tables", "the plan records the warehouse's masking attachments, but not which database role a persona's IAM role signs in as: reported, not judged."],
];

/** The persona checks (rendered by `npm run verifier:docs`). */
export const PERSONA_CHECKS: [string, string][] = [
    ["lakeformation.persona-columns", "Per persona and table: the columns it reads; exposed when one of them is PII it has no PII access to."],
    ["athena.persona-path", "Once the plan has Athena workgroups, every persona that reads the lake may start queries in one of them."],
    ["spectrum.external-schema", "Per external schema with an IAM role: the role reads some column of the schema's database, and no PII column without PII access (every user of the schema reads what it reads)."],
];

/** What one persona reads of one table. */
export interface PersonaTable {
    database: string;
    table: string;
    /** Every column it reads. */
    columns: string[];
    /** PII columns it reads with PII access. */
    piiWithAccess: string[];
    /** PII columns it reads without PII access (each a broken hop). */
    piiWithoutAccess: string[];
    /** The grants and filters it reads through. */
    via: string[];
}

/** One persona's section of the report. */
export interface PersonaReport {
    principal: string;
    tables: PersonaTable[];
    /** Workgroups it may start queries in. */
    athena: { workgroups: string[]; note: string };
    /** External schemas whose role or session reads for it, and what they read. */
    spectrum: { schemas: { schema: string; database: string; role: string; columns: number }[]; note: string };
    redshift: { note: string };
}

/** The report's personas and the hops they add. */
export interface PersonaFindings {
    personas: PersonaReport[];
    hops: HopResult[];
}

const short = (principal: string) => (principal.startsWith("arn:") ? principal.split("/").pop()! : principal);

/** True for a role the plan creates that only AWS services may assume: it moves data; it is judged by the permission hops, not as a persona. */
export function isServiceRole(model: PlanModel, principal: string): boolean {
    const role = model.role(principal);
    if (!role) return false;
    const trust = parsePolicy(role.inputs.assumeRolePolicy);
    const principals = (trust?.Statement ?? []).filter((s: PolicyStatement) => s.Effect === "Allow").map((s) => s.Principal as any);
    return principals.length > 0 && principals.every((p) => p && typeof p === "object" && Object.keys(p).every((k) => k === "Service"));
}

function tablesOf(reads: ColumnRead[]): PersonaTable[] {
    const byTable = new Map<string, PersonaTable>();
    for (const r of reads) {
        const key = `${r.database}.${r.table}`;
        const t = byTable.get(key) ?? { database: r.database, table: r.table, columns: [], piiWithAccess: [], piiWithoutAccess: [], via: [] };
        t.columns.push(r.column);
        if (r.pii) (r.piiAccess!.length > 0 ? t.piiWithAccess : t.piiWithoutAccess).push(r.column);
        for (const route of r.routes) if (!t.via.includes(route.label)) t.via.push(route.label);
        byTable.set(key, t);
    }
    return [...byTable.values()];
}

const PII_FIX =
    "give the principal PII access explicitly (a tag-expression grant whose classification values name the PII value) if it may read PII; otherwise narrow its grants: name the non-PII classifications in the tag expression, use a data cells filter without the column, or drop the named grant";

/** Exposed columns grouped by where their PII tag is and the grants that reach them: `customer_id (classification=pii on the column) through tag grant …`. */
function groupExposed(exposed: ColumnRead[]): string {
    const groups = new Map<string, string[]>();
    for (const r of exposed) {
        const key = `(${r.pii!.key}=${r.pii!.value} on the ${r.pii!.level}) through ${r.routes.map((x) => x.label).join(" and ")}`;
        groups.set(key, [...(groups.get(key) ?? []), r.column]);
    }
    return [...groups.entries()].map(([key, columns]) => `${columns.join(", ")} ${key}`).join("; ");
}

/** What a principal reads of each table, as hops: contained, or exposed with the PII columns and the grants that reach them. */
function piiHops(lf: LakeFormationView, principal: string, subject: string, urnOf: (t: PersonaTable) => string, requirement: string, fix: string): { tables: PersonaTable[]; hops: HopResult[] } {
    const reads = lf.columnReads(principal);
    const tables = tablesOf(reads);
    const hops = tables.map((t): HopResult => {
        const exposed = reads.filter((r) => r.database === t.database && r.table === t.table && r.pii && r.piiAccess!.length === 0);
        const reason =
            exposed.length > 0
                ? `${t.database}.${t.table}: PII read without PII access: ${groupExposed(exposed)}`
                : `${t.database}.${t.table}: ${t.columns.length} column${t.columns.length === 1 ? "" : "s"}${t.piiWithAccess.length > 0 ? `, PII ${t.piiWithAccess.join(", ")} with PII access` : ", none PII"}`;
        return {
            domain: "personas",
            hop: `${subject} reads ${t.database}.${t.table}`,
            requirement,
            principal,
            actions: ["lakeformation:SELECT"],
            resources: [`${t.database}.${t.table}`],
            verdict: exposed.length > 0 ? "exposed" : "contained",
            reason,
            fix,
            urn: urnOf(t),
        };
    });
    return { tables, hops };
}

/** The persona section of the report and its hops. */
export async function personaFindings(model: PlanModel, iam: import("./iam").IamEvaluator): Promise<PersonaFindings> {
    const lf = lakeFormationOf(model);
    const hops: HopResult[] = [];
    const tableUrn = (t: PersonaTable) => lf.table(t.database, t.table)?.urn ?? "";
    const workgroups = model.ofType("aws:athena/workgroup:Workgroup").map((w) => ({ resource: w, name: model.nameOf(w) ?? w.name, arn: workgroupArn(model, w) }));
    const schemas = externalSchemas(model);
    const masking = maskingAttachments(model);
    const memberships = iamRoleMemberships(model);
    const selects = selectGrants(model);
    const personas: PersonaReport[] = [];

    // A preview that leaves tags, grants or table names unknown cannot say who reads what.
    if (lf.unknown.length > 0) {
        for (const principal of lf.readers().filter((p) => !isServiceRole(model, p))) {
            hops.push({ domain: "personas", hop: `${short(principal)} reads the lake`, requirement: "lakeformation.persona-columns", principal, actions: [], resources: [], verdict: "not-judged", reason: notJudgedReason(lf.unknown), waitedOn: unknownKinds(lf.unknown), fix: "verify again once the plan knows these values", urn: "" });
        }
        return { personas, hops };
    }

    for (const principal of lf.readers().filter((p) => !isServiceRole(model, p))) {
        const { tables, hops: tableHops } = piiHops(lf, principal, short(principal), tableUrn, "lakeformation.persona-columns", PII_FIX);
        hops.push(...tableHops);

        const usable: string[] = [];
        for (const w of workgroups) if (w.arn && (await iam.check(principal, { action: "athena:StartQueryExecution", resource: w.arn })).allowed) usable.push(w.name);
        // Once the program gives its personas workgroups, every persona that reads the lake needs one.
        if (workgroups.length > 0 && tables.length > 0 && usable.length === 0) {
            hops.push({
                domain: "personas",
                hop: `${short(principal)} queries the lake with Athena`,
                requirement: "athena.persona-path",
                principal,
                actions: ["athena:StartQueryExecution"],
                resources: workgroups.map((w) => w.arn ?? w.name),
                verdict: "broken-lineage",
                reason: `Lake Formation lets it read ${tables.length} table${tables.length === 1 ? "" : "s"}, but no policy the plan attaches to it allows athena:StartQueryExecution on any of the plan's workgroups (${workgroups.map((w) => w.name).join(", ")})`,
                fix: "attach the persona's generated workgroup policy to its role (aws.iam.RolePolicyAttachment by role name), or give it a workgroup",
                urn: workgroups[0].resource.urn,
            });
        }

        const readable = new Set(tables.map((t) => t.database));
        const mine = schemas.filter((s) => readable.has(s.database) && (s.iamRole === "SESSION" || s.iamRole === principal));
        personas.push({
            principal,
            tables,
            athena: {
                workgroups: usable,
                note: workgroups.length === 0 ? "the plan has no Athena workgroup" : usable.length === 0 ? "no workgroup of the plan lets it start queries" : "reads its Lake Formation columns (above) in these workgroups",
            },
            spectrum: {
                schemas: mine.map((s) => ({ schema: s.name, database: s.database, role: s.iamRole, columns: tables.filter((t) => t.database === s.database).reduce((n, t) => n + t.columns.length, 0) })),
                note:
                    schemas.length === 0
                        ? "the plan creates no external schema"
                        : "external schemas with IAM_ROLE 'SESSION' read its own Lake Formation columns; a schema with a role reads that role's columns for every user granted USAGE on it (see the schema hops)",
            },
            redshift: { note: redshiftNote(principal) },
        });
    }

    function redshiftNote(principal: string): string {
        const roles = memberships.get(principal.split("/").pop()!) ?? [];
        if (roles.length === 0) return "not judged: the plan records no database role the persona's IAM role signs in with (GRANT ROLE … TO \"IAMR:<role name>\")";
        const parts = roles.map((role) => {
            const granted = selects.get(role) ?? [];
            const masked = masking.filter((m) => m.grantee === `role ${role}`);
            const tables = granted.map((g) => `${g.table} (${g.columns ? g.columns.join(", ") : "all columns"}${masked.filter((m) => m.table === g.table).length > 0 ? `; masked: ${masked.filter((m) => m.table === g.table).flatMap((m) => m.columns).filter((c, i, all) => all.indexOf(c) === i).join(", ")}` : ""})`);
            return `role ${role}: ${tables.length > 0 ? tables.join(", ") : "selects no table"}`;
        });
        return `${parts.join("; ")} (which warehouse columns are PII is not recorded: not judged)`;
    }

    // Spectrum: the schema's role is who Lake Formation sees for every user of the schema.
    for (const s of schemas) {
        if (s.iamRole === "SESSION") continue;
        const { hops: schemaHops } = piiHops(lf, s.iamRole, `external schema ${s.name} (role ${short(s.iamRole)})`, tableUrn, "spectrum.external-schema", `${PII_FIX}; or create the schema with IAM_ROLE 'SESSION' so each user's own Lake Formation permissions apply`);
        const ofDatabase = schemaHops.filter((h) => h.resources[0].startsWith(`${s.database}.`)).map((h) => ({ ...h, urn: s.urn }));
        hops.push(...ofDatabase);
        if (ofDatabase.length === 0) {
            hops.push({
                domain: "personas",
                hop: `external schema ${s.name} reads ${s.database}`,
                requirement: "spectrum.external-schema",
                principal: s.iamRole,
                actions: ["lakeformation:SELECT"],
                resources: [s.database],
                verdict: "broken-lineage",
                reason: `Lake Formation grants role ${short(s.iamRole)} SELECT on no column of ${s.database}: every query through the schema fails`,
                fix: "grant the schema's role SELECT on the database's tables (a tag-expression grant or a data cells filter), or create the schema with IAM_ROLE 'SESSION'",
                urn: s.urn,
            });
        }
    }
    return { personas, hops };
}
