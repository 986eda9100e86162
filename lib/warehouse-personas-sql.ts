/**
 * The warehouse's personas, generated from the governance model: a database role per persona, the
 * database users its IAM roles sign in as, the SELECT grants its Lake Formation grants would allow
 * on each domain's warehouse table, dynamic data masking of the PII columns it may not read, and a
 * Spectrum external schema per curated database with USAGE for the personas that read it. Pure
 * functions; every statement can run again without harm, on every deploy.
 *
 * How a persona's access is decided ({@link personaAccess}): the warehouse table `lake.<domain>`
 * holds what the domain's curated table holds, so a persona reads in the warehouse exactly the
 * columns Lake Formation would let it SELECT in the curated table: a column is readable when one of
 * the persona's TABLE grants with SELECT (or ALL) matches the column's tags (its own classification
 * where it has one, PII columns being tagged with the PII classification; otherwise its table's, then
 * its database's), or, for a persona reading through the PII filters, when the curated table has a
 * filter and the column is not one it hides. A persona that reads every non-PII column gets SELECT
 * on the table and sees the PII columns it may not read masked (NULL); one that reads only some
 * columns (a grant naming the PII classification alone, say) gets SELECT on exactly those.
 *
 * The Redshift-only parts (masking policies, external schemas, `GRANT ROLE`, the catalog views a
 * statement looks at before it runs) are in {@link REDSHIFT_PERSONAS} and {@link maskingStatements}
 * / {@link spectrumStatements}; the tests run the roles, users, memberships and grants on PostgreSQL
 * by handing {@link personaStatements} another {@link PersonaDialect}.
 */
import { databaseName, type GovernanceInput, governanceModel, TAG_CLASSIFICATION, tableName } from "./governance";
import { redshiftType, WAREHOUSE_SCHEMA, type WarehouseDomain } from "./warehouse-sql";

/** Prefix of every persona's database role: what {@link retirePersonasSql} recognises as ours. */
export const PERSONA_ROLE_PREFIX = "persona_";
/** Procedure that runs a statement only when a catalog query finds (or does not find) rows. */
export const APPLY_IF = `${WAREHOUSE_SCHEMA}.apply_if`;
/** Procedure that revokes a persona role from every member but those listed. */
export const REVOKE_ROLE_EXCEPT = `${WAREHOUSE_SCHEMA}.revoke_role_except`;
/** Procedure that revokes the roles of personas no longer declared from all their members. */
export const RETIRE_PERSONAS = `${WAREHOUSE_SCHEMA}.retire_personas`;
/** Separates names in the lists the procedures take: IAM role names and identifiers never hold it. */
const SEPARATOR = "|";

/** What a persona reads of one domain's warehouse table. */
export interface PersonaTableAccess {
    domain: string;
    /** Columns the persona reads as stored, in declared order. */
    clear: string[];
    /** PII columns the persona reads masked (it may not read them; it reads the rest of the table). */
    masked: string[];
    /** SELECT on the whole table (every column), or on {@link clear} only. */
    wholeTable: boolean;
}

/** A persona in the warehouse. */
export interface PersonaAccess {
    persona: string;
    /** Its database role (`persona_<name>`). */
    role: string;
    /** The database users its IAM roles sign in as (`IAMR:<role name>`), sorted. */
    users: string[];
    /** Tables it reads any column of, in domain order. */
    tables: PersonaTableAccess[];
}

/** The database role of a persona. */
export function personaRole(persona: string): string {
    return `${PERSONA_ROLE_PREFIX}${persona}`;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;

/**
 * The database user an IAM role signs in as: GetClusterCredentialsWithIAM (a cluster) and Redshift
 * Serverless GetCredentials map the caller's IAM identity 1:1 to a database user, `IAMR:<role name>`
 * for a role (https://docs.aws.amazon.com/redshift/latest/APIReference/API_GetClusterCredentialsWithIAM.html,
 * https://docs.aws.amazon.com/redshift/latest/mgmt/redshift-iam-access-federated-db-roles.html).
 * The role's path is not part of the name.
 */
export function iamRoleUser(roleArn: string): string {
    const match = ROLE_ARN.exec(roleArn);
    if (!match) throw new Error(`persona role ARN ${roleArn} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
    return `IAMR:${match[1]}`;
}

/**
 * The value of the `RedshiftDbRoles` principal tag that gives a persona's IAM role its database role
 * at sign-in on Redshift Serverless (the persona roles live outside the stack: their owners tag them).
 */
export function redshiftDbRolesTag(persona: string): { RedshiftDbRoles: string } {
    return { RedshiftDbRoles: personaRole(persona) };
}

const SELECTING = new Set(["SELECT", "ALL"]);

/**
 * What every persona reads of every domain's warehouse table, by the Lake Formation model of
 * `governance` (see the module comment). Domains absent from `governance.domains` have no PII.
 */
export function personaAccess(governance: GovernanceInput, domains: WarehouseDomain[]): PersonaAccess[] {
    const model = governanceModel(governance);
    const piiByDomain = new Map(governance.domains.map((d) => [d.name, new Set(d.columns.filter((c) => c.pii).map((c) => c.name))]));
    return Object.entries(governance.personas)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([persona, spec]) => {
            const grants = spec.grants.filter((g) => g.resourceType === "TABLE" && g.permissions.some((p) => SELECTING.has(p)));
            const readsThroughFilters = spec.roleArns.some((arn) => model.piiFilterRoles.includes(arn));
            const tables: PersonaTableAccess[] = [];
            for (const domain of domains) {
                const database = databaseName(governance.namePrefix, "curated", domain.name);
                const key = `${database}.${tableName("curated", domain.name)}`;
                const tableTags = { ...model.databaseTags[database], ...model.tableTags[key] };
                const filter = readsThroughFilters ? model.piiFilters.find((f) => f.database === database && f.table === tableName("curated", domain.name)) : undefined;
                const pii = piiByDomain.get(domain.name) ?? new Set<string>();
                const readable = (column: string) => {
                    const classification = model.columnTags[key]?.[column];
                    const tags: Record<string, string | undefined> = classification ? { ...tableTags, [TAG_CLASSIFICATION]: classification } : tableTags;
                    if (grants.some((g) => Object.entries(g.expression).every(([tag, values]) => tags[tag] !== undefined && values.includes(tags[tag] as string)))) return true;
                    return filter !== undefined && !filter.columns.includes(column);
                };
                const columns = domain.columns.map((c) => c.name);
                const clear = columns.filter(readable);
                if (clear.length === 0) continue;
                const wholeTable = columns.filter((c) => !pii.has(c)).every((c) => clear.includes(c));
                tables.push({ domain: domain.name, clear, masked: wholeTable ? columns.filter((c) => !clear.includes(c)) : [], wholeTable });
            }
            return { persona, role: personaRole(persona), users: [...new Set(spec.roleArns.map(iamRoleUser))].sort(), tables };
        });
}

/** A double-quoted identifier. */
export const quoteIdentifier = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
/** A single-quoted string literal. */
export const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** What the persona statements need of the engine beyond portable SQL. */
export interface PersonaDialect {
    /** A query counting the database roles named `role`. */
    roleExists(role: string): string;
    /** A query counting the users named `user`. */
    userExists(user: string): string;
    /** A query counting the memberships of `user` in `role`. */
    memberOf(role: string, user: string): string;
    /** Creates a user that signs in only through IAM (no password). */
    createUser(user: string): string;
    /** Grants a role to a user. */
    grantRole(role: string, user: string): string;
    /** A role as a grantee of privileges. */
    grantee(role: string): string;
    /** The SQL expression, inside a procedure, of a query listing the members (`name`) of the role held in the variable `target_role`. */
    membersQuery: string;
    /** The SQL expression, inside a procedure, of a query listing every role (`name`). */
    rolesQuery: string;
    /** The SQL expression, inside a procedure, revoking the role in `target_role` from the user in `member.name`. */
    revokeRoleExpression: string;
}

/**
 * Redshift: roles in `svv_roles`, users in `pg_user`, memberships in `svv_user_grants`
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_ROLES.html,
 * https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_USER_GRANTS.html), `CREATE USER … PASSWORD
 * DISABLE` (the user signs in with IAM credentials only), `GRANT ROLE … TO …` and privileges granted
 * `TO ROLE …` (https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html).
 */
export const REDSHIFT_PERSONAS: PersonaDialect = {
    roleExists: (role) => `SELECT COUNT(*) FROM svv_roles WHERE role_name = ${literal(role)}`,
    userExists: (user) => `SELECT COUNT(*) FROM pg_user WHERE usename = ${literal(user)}`,
    memberOf: (role, user) => `SELECT COUNT(*) FROM svv_user_grants WHERE role_name = ${literal(role)} AND user_name = ${literal(user)}`,
    createUser: (user) => `CREATE USER ${quoteIdentifier(user)} PASSWORD DISABLE`,
    grantRole: (role, user) => `GRANT ROLE ${quoteIdentifier(role)} TO ${quoteIdentifier(user)}`,
    grantee: (role) => `ROLE ${quoteIdentifier(role)}`,
    membersQuery: `'SELECT user_name AS name FROM svv_user_grants WHERE role_name = ' || quote_literal(target_role)`,
    rolesQuery: `'SELECT role_name AS name FROM svv_roles'`,
    revokeRoleExpression: `'REVOKE ROLE ' || quote_ident(target_role) || ' FROM ' || quote_ident(member.name)`,
};

/** One statement of the schema function (see components/warehouse/functions/warehouse-schema/statements.ts). */
export interface PersonaStatement {
    id: string;
    sql: string;
}

/** `CALL lake.apply_if(<probe>, <present>, <ddl>)`: runs `ddl` only when `probe` counts rows (present) or none (absent). */
function applyIf(probe: string, present: boolean, ddl: string): string {
    return `CALL ${APPLY_IF}(${literal(probe)}, ${present ? "TRUE" : "FALSE"}, ${literal(ddl)})`;
}

/**
 * The procedures the persona statements call (created or replaced on every run): `apply_if` runs a
 * statement only when a catalog query finds rows or finds none (Redshift has no `CREATE ROLE`,
 * `CREATE USER`, `GRANT ROLE` or `ATTACH MASKING POLICY` … `IF NOT EXISTS`;
 * https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_ROLE.html); `revoke_role_except` revokes
 * a persona's role from every member no longer declared; `retire_personas` revokes the role of a
 * persona no longer declared from all its members, so nobody holds what it was granted.
 */
export function personaProcedures(dialect: PersonaDialect = REDSHIFT_PERSONAS): PersonaStatement[] {
    const listed = (list: string, name: string) => `POSITION(${literal(SEPARATOR)} || ${name} || ${literal(SEPARATOR)} IN ${literal(SEPARATOR)} || ${list} || ${literal(SEPARATOR)}) > 0`;
    return [
        {
            id: "personas-apply-if",
            sql: `CREATE OR REPLACE PROCEDURE ${APPLY_IF}(probe VARCHAR(65535), present BOOLEAN, ddl VARCHAR(65535)) AS $$ DECLARE found INTEGER; BEGIN EXECUTE probe INTO found; IF (found > 0) = present THEN EXECUTE ddl; END IF; END; $$ LANGUAGE plpgsql`,
        },
        {
            id: "personas-revoke-role-except",
            sql: `CREATE OR REPLACE PROCEDURE ${REVOKE_ROLE_EXCEPT}(target_role VARCHAR(128), keep VARCHAR(65535)) AS $$ DECLARE member RECORD; BEGIN FOR member IN EXECUTE ${dialect.membersQuery} LOOP IF NOT ${listed("keep", "member.name")} THEN EXECUTE ${dialect.revokeRoleExpression}; END IF; END LOOP; END; $$ LANGUAGE plpgsql`,
        },
        {
            id: "personas-retire",
            sql: `CREATE OR REPLACE PROCEDURE ${RETIRE_PERSONAS}(keep VARCHAR(65535)) AS $$ DECLARE persona RECORD; BEGIN FOR persona IN EXECUTE ${dialect.rolesQuery} LOOP IF LEFT(persona.name, ${PERSONA_ROLE_PREFIX.length}) = ${literal(PERSONA_ROLE_PREFIX)} AND NOT ${listed("keep", "persona.name")} THEN CALL ${REVOKE_ROLE_EXCEPT}(CAST(persona.name AS VARCHAR(128)), CAST('' AS VARCHAR(65535))); END IF; END LOOP; END; $$ LANGUAGE plpgsql`,
        },
    ];
}

/** The statement that runs {@link RETIRE_PERSONAS} for the declared personas. */
export function retirePersonasSql(access: PersonaAccess[]): string {
    return `CALL ${RETIRE_PERSONAS}(${literal(access.map((a) => a.role).join(SEPARATOR))})`;
}

const qualified = (domain: string) => `${WAREHOUSE_SCHEMA}.${quoteIdentifier(domain)}`;

/**
 * Roles, users, memberships and grants, after the warehouse schema's own statements (the `lake`
 * schema and its tables exist): the procedures; each persona's role; for each of its IAM roles the
 * `IAMR:` user (created without a password if it has not signed in yet) holding the role, and no
 * other user holding it; USAGE on `lake` for a persona that reads any table; its table privileges
 * revoked and granted again as {@link personaAccess} says (a grant the model no longer allows goes);
 * last, the roles of personas no longer declared revoked from everyone.
 */
export function personaStatements(access: PersonaAccess[], dialect: PersonaDialect = REDSHIFT_PERSONAS): PersonaStatement[] {
    const statements: PersonaStatement[] = [...personaProcedures(dialect)];
    for (const a of access) {
        const id = (what: string) => `persona-${a.persona}-${what}`;
        const grantee = dialect.grantee(a.role);
        statements.push({ id: id("role"), sql: applyIf(dialect.roleExists(a.role), false, `CREATE ROLE ${quoteIdentifier(a.role)}`) });
        a.users.forEach((user, i) => {
            statements.push(
                { id: id(`user-${i}`), sql: applyIf(dialect.userExists(user), false, dialect.createUser(user)) },
                { id: id(`member-${i}`), sql: applyIf(dialect.memberOf(a.role, user), false, dialect.grantRole(a.role, user)) },
            );
        });
        statements.push({ id: id("members"), sql: `CALL ${REVOKE_ROLE_EXCEPT}(${literal(a.role)}, ${literal(a.users.join(SEPARATOR))})` });
        statements.push({
            id: id("schema"),
            sql: a.tables.length > 0 ? `GRANT USAGE ON SCHEMA ${WAREHOUSE_SCHEMA} TO ${grantee}` : `REVOKE USAGE ON SCHEMA ${WAREHOUSE_SCHEMA} FROM ${grantee}`,
        });
        statements.push({ id: id("revoke-tables"), sql: `REVOKE ALL ON ALL TABLES IN SCHEMA ${WAREHOUSE_SCHEMA} FROM ${grantee}` });
        for (const t of a.tables) {
            const columns = t.wholeTable ? "" : ` (${t.clear.map(quoteIdentifier).join(", ")})`;
            statements.push({ id: id(`select-${t.domain}`), sql: `GRANT SELECT${columns} ON ${qualified(t.domain)} TO ${grantee}` });
        }
    }
    statements.push({ id: "personas-retire-undeclared", sql: retirePersonasSql(access) });
    return statements;
}

/** The masking policy of a PII column: one per column name and type, shared by the tables with that column. */
export function maskingPolicyName(column: string, type: string): string {
    const slug = redshiftType(type)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "_")
        .replace(/^_|_$/g, "");
    return `pii_mask_${column}_${slug}`;
}

/** One masking attachment: a PII column a persona reads masked. */
export interface MaskAttachment {
    persona: string;
    role: string;
    domain: string;
    column: string;
    policy: string;
    /** Unique per persona, so no two attachments on a column share one (Redshift refuses that). */
    priority: number;
}

/**
 * Every masking attachment {@link personaAccess} asks for: each PII column a persona reads masked,
 * with the policy of the column's name and type, at the persona's priority (its 1-based place among
 * the personas by name).
 */
export function maskAttachments(access: PersonaAccess[], domains: WarehouseDomain[]): MaskAttachment[] {
    const typeOf = (domain: string, column: string) => domains.find((d) => d.name === domain)?.columns.find((c) => c.name === column)?.type ?? "string";
    return access.flatMap((a, i) =>
        a.tables.flatMap((t) => t.masked.map((column) => ({ persona: a.persona, role: a.role, domain: t.domain, column, policy: maskingPolicyName(column, typeOf(t.domain, column)), priority: i + 1 }))),
    );
}

/**
 * Dynamic data masking of the PII columns (Redshift only;
 * https://docs.aws.amazon.com/redshift/latest/dg/t_ddm.html): one policy per PII column name and type,
 * `CREATE MASKING POLICY … WITH (<column> <type>) USING (NULL::<type>)` (the input column is typed as
 * the table's column, and the output keeps its type:
 * https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_MASKING_POLICY.html), created when absent
 * from `svv_masking_policy`; then, for every declared persona and every PII column (`pii`), first every
 * attachment to the persona's role that should not be there, or not at its priority, detached
 * (`DETACH MASKING POLICY … FROM ROLE …`), then every missing one attached (`ATTACH MASKING POLICY …
 * ON lake.<domain>(<column>) TO ROLE … PRIORITY n`;
 * https://docs.aws.amazon.com/redshift/latest/dg/r_ATTACH_MASKING_POLICY.html), each looked up in
 * `svv_attached_masking_policy` first. Detaching first means no two attachments on a column ever share
 * a priority (https://docs.aws.amazon.com/redshift/latest/dg/t_ddm-hierarchy.html). NULL rather than a
 * hash: an unsalted hash of an identifier is a lookup away from it, and Lake Formation shows these
 * personas nothing of the column either.
 */
export function maskingStatements(access: PersonaAccess[], domains: WarehouseDomain[], pii: PiiColumn[]): PersonaStatement[] {
    const wanted = maskAttachments(access, domains);
    const columns = pii.flatMap((p) => {
        const type = domains.find((d) => d.name === p.domain)?.columns.find((c) => c.name === p.column)?.type;
        return type === undefined ? [] : [{ ...p, policy: maskingPolicyName(p.column, type), redshift: redshiftType(type) }];
    });
    const attached = (policy: string, domain: string, role: string, notAtPriority?: number) =>
        `SELECT COUNT(*) FROM svv_attached_masking_policy WHERE policy_name = ${literal(policy)} AND schema_name = ${literal(WAREHOUSE_SCHEMA)} AND table_name = ${literal(domain)} AND grantee = ${literal(role)}${notAtPriority === undefined ? "" : ` AND priority <> ${notAtPriority}`}`;
    const policies = new Map(columns.map((c) => [c.policy, c.redshift]));
    const creates: PersonaStatement[] = [...policies].map(([policy, type]) => ({
        id: `mask-policy-${policy}`,
        sql: applyIf(`SELECT COUNT(*) FROM svv_masking_policy WHERE policy_name = ${literal(policy)}`, false, `CREATE MASKING POLICY ${quoteIdentifier(policy)} WITH (pii_value ${type}) USING (NULL::${type})`),
    }));
    const detaches: PersonaStatement[] = [];
    const attaches: PersonaStatement[] = [];
    for (const a of access) {
        for (const c of columns) {
            const want = wanted.find((w) => w.role === a.role && w.domain === c.domain && w.column === c.column);
            const on = `${qualified(c.domain)}(${quoteIdentifier(c.column)})`;
            const id = `mask-${a.persona}-${c.domain}-${c.column}`;
            // Not wanted: any attachment goes. Wanted: one at another priority goes, then it is attached.
            detaches.push({ id: `${id}-detach`, sql: applyIf(attached(c.policy, c.domain, a.role, want?.priority), true, `DETACH MASKING POLICY ${quoteIdentifier(c.policy)} ON ${on} FROM ROLE ${quoteIdentifier(a.role)}`) });
            if (want) {
                attaches.push({
                    id: `${id}-attach`,
                    sql: applyIf(attached(c.policy, c.domain, a.role), false, `ATTACH MASKING POLICY ${quoteIdentifier(c.policy)} ON ${on} TO ROLE ${quoteIdentifier(a.role)} PRIORITY ${want.priority}`),
                });
            }
        }
    }
    return [...creates, ...detaches, ...attaches];
}

/** A column declared PII. */
export interface PiiColumn {
    domain: string;
    column: string;
}

/** The PII columns of the governance input's domains (`columns[].pii`). */
export function piiColumns(governance: Pick<GovernanceInput, "domains">): PiiColumn[] {
    return governance.domains.flatMap((d) => d.columns.filter((c) => c.pii).map((c) => ({ domain: d.name, column: c.name })));
}

/** A Spectrum external schema over a curated database. */
export interface SpectrumSchema {
    domain: string;
    /** Schema name in the warehouse (`curated_<domain>`). */
    schema: string;
    /** Glue database it maps. */
    database: string;
}

/** One external schema per domain's curated database. */
export function spectrumSchemas(namePrefix: string, domains: { name: string }[]): SpectrumSchema[] {
    return domains.map((d) => ({ domain: d.name, schema: `curated_${d.name}`, database: databaseName(namePrefix, "curated", d.name) }));
}

/**
 * Whose Lake Formation permissions Spectrum queries run with: `session`, each signed-in user's own IAM
 * identity (`IAM_ROLE 'SESSION'`), so Lake Formation filters columns per persona as it does for Athena
 * (https://docs.aws.amazon.com/redshift/latest/mgmt/authorization-fas-spectrum.html); or one role for
 * every user (the warehouse lake role), which then must be granted every column of the curated tables.
 */
export type SpectrumIdentity = { kind: "session" } | { kind: "role"; arn: string };

/**
 * The personas given USAGE on a domain's external schema: with the session identity, those that read
 * any column of the curated table (Lake Formation shows each only its columns); with one role for
 * everyone, only those that read every column clear, since the role's Lake Formation grant is what
 * every user with USAGE reads and Redshift masks no external column.
 */
export function spectrumReaders(access: PersonaAccess[], domain: string, identity: SpectrumIdentity): PersonaAccess[] {
    return access.filter((a) => a.tables.some((t) => t.domain === domain && (identity.kind === "session" || (t.wholeTable && t.masked.length === 0))));
}

/**
 * The external schemas (Redshift only): `CREATE EXTERNAL SCHEMA IF NOT EXISTS … FROM DATA CATALOG
 * DATABASE '<curated database>' IAM_ROLE …` (https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_EXTERNAL_SCHEMA.html),
 * then `ALTER EXTERNAL SCHEMA … IAM_ROLE …` so a changed identity reaches a schema created before
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_EXTERNAL_SCHEMA.html), and USAGE granted to
 * the personas {@link spectrumReaders} names and revoked from the others. Without a role of a persona
 * on it, nobody but the admin reads an external schema: USAGE is never granted to PUBLIC.
 */
export function spectrumStatements(schemas: SpectrumSchema[], identity: SpectrumIdentity, access: PersonaAccess[]): PersonaStatement[] {
    const role = identity.kind === "session" ? "SESSION" : identity.arn;
    return schemas.flatMap((s) => {
        const readers = new Set(spectrumReaders(access, s.domain, identity).map((a) => a.role));
        return [
            { id: `spectrum-${s.domain}`, sql: `CREATE EXTERNAL SCHEMA IF NOT EXISTS ${quoteIdentifier(s.schema)} FROM DATA CATALOG DATABASE ${literal(s.database)} IAM_ROLE ${literal(role)}` },
            { id: `spectrum-${s.domain}-identity`, sql: `ALTER EXTERNAL SCHEMA ${quoteIdentifier(s.schema)} IAM_ROLE ${literal(role)}` },
            ...access.map((a) => ({
                id: `spectrum-${s.domain}-${a.persona}`,
                sql: readers.has(a.role) ? `GRANT USAGE ON SCHEMA ${quoteIdentifier(s.schema)} TO ROLE ${quoteIdentifier(a.role)}` : `REVOKE USAGE ON SCHEMA ${quoteIdentifier(s.schema)} FROM ROLE ${quoteIdentifier(a.role)}`,
            })),
        ];
    });
}

/** What the warehouse's persona statements are generated from. */
export interface WarehousePersonasInput {
    /** The governance input (personas, their grants, classifications, PII filters). */
    governance: GovernanceInput;
    /** The warehouse tables (lib/warehouse-sql.ts). */
    domains: WarehouseDomain[];
    /** Spectrum's external schemas and their identity; none without it. */
    spectrum?: SpectrumIdentity;
}

/** Every persona statement for Redshift, in order: roles, users and grants; masking; Spectrum. */
export function warehousePersonaStatements(input: WarehousePersonasInput): PersonaStatement[] {
    const access = personaAccess(input.governance, input.domains);
    return [
        ...personaStatements(access),
        ...maskingStatements(access, input.domains, piiColumns(input.governance)),
        ...(input.spectrum ? spectrumStatements(spectrumSchemas(input.governance.namePrefix, input.domains), input.spectrum, access) : []),
    ];
}
