import * as assert from "node:assert/strict";
import { PGlite } from "@electric-sql/pglite";
import type { GovernanceInput } from "../../lib/governance";
import {
    iamRoleUser,
    literal,
    maskAttachments,
    maskingStatements,
    type PersonaAccess,
    type PersonaDialect,
    personaAccess,
    personaStatements,
    piiColumns,
    quoteIdentifier,
    redshiftDbRolesTag,
    spectrumSchemas,
    spectrumStatements,
    warehousePersonaStatements,
} from "../../lib/warehouse-personas-sql";
import { createTableSql, type WarehouseDialect, type WarehouseDomain, warehouseDomain } from "../../lib/warehouse-sql";

const COLUMNS = {
    clickstream: [
        { name: "event_id", type: "string" },
        { name: "event_type", type: "string" },
        { name: "user_id", type: "string", pii: true },
        { name: "page_url", type: "string" },
        { name: "duration_ms", type: "bigint" },
        { name: "event_time", type: "timestamp" },
    ],
    orders: [
        { name: "order_id", type: "string" },
        { name: "customer_id", type: "string", pii: true },
        { name: "amount", type: "decimal(12,2)" },
        { name: "currency", type: "string" },
        { name: "ordered_at", type: "timestamp" },
    ],
};
const domains: WarehouseDomain[] = Object.entries(COLUMNS).map(([name, columns]) => warehouseDomain({ name, columns, primaryKey: [columns[0].name] }));

type Personas = GovernanceInput["personas"];
/** stacks/Pulumi.prod.yaml's governance, as config/ hands it to lib/governance.ts. */
const PROD_PERSONAS: Personas = {
    analysts: {
        roleArns: ["arn:aws:iam::333333333333:role/Analysts"],
        grants: [
            { resourceType: "DATABASE", permissions: ["DESCRIBE"], expression: { zone: ["analytics"] } },
            { resourceType: "TABLE", permissions: ["SELECT", "DESCRIBE"], expression: { zone: ["analytics"], classification: ["public", "internal"] } },
        ],
    },
    orders_engineers: {
        roleArns: ["arn:aws:iam::333333333333:role/OrdersDataEngineers"],
        grants: [
            { resourceType: "DATABASE", permissions: ["ALL"], expression: { domain: ["orders"], zone: ["raw", "curated"] } },
            { resourceType: "TABLE", permissions: ["ALL"], expression: { domain: ["orders"], zone: ["raw", "curated"] } },
        ],
    },
    ml: {
        roleArns: ["arn:aws:iam::333333333333:role/MachineLearning"],
        usePiiFilters: true,
        grants: [{ resourceType: "TABLE", permissions: ["SELECT", "DESCRIBE"], expression: { zone: ["curated", "analytics"], classification: ["public", "internal"] } }],
    },
};
const governance = (personas: Personas = PROD_PERSONAS, extra: Partial<GovernanceInput> = {}): GovernanceInput => ({
    namePrefix: "lakehouse-prod",
    domains: Object.entries(COLUMNS).map(([name, columns]) => ({ name, transport: "kinesis", columns: columns.map((c) => ({ name: c.name, pii: "pii" in c && c.pii === true })) })),
    classifications: ["public", "internal", "confidential", "pii"],
    databaseClassification: { clickstream: "internal", orders: "confidential" },
    piiFilters: true,
    tableClassification: [{ domain: "orders", zone: "curated", classification: "pii" }],
    personas,
    ...extra,
});
const byPersona = (access: PersonaAccess[]) => Object.fromEntries(access.map((a) => [a.persona, a]));

/** PostgreSQL's catalog and grammar for what REDSHIFT_PERSONAS says in Redshift's. */
const POSTGRES: PersonaDialect = {
    roleExists: (role) => `SELECT COUNT(*) FROM pg_roles WHERE rolname = ${literal(role)}`,
    userExists: (user) => `SELECT COUNT(*) FROM pg_user WHERE usename = ${literal(user)}`,
    memberOf: (role, user) => `SELECT COUNT(*) FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = ${literal(role)} AND m.rolname = ${literal(user)}`,
    createUser: (user) => `CREATE ROLE ${quoteIdentifier(user)} LOGIN`,
    grantRole: (role, user) => `GRANT ${quoteIdentifier(role)} TO ${quoteIdentifier(user)}`,
    grantee: (role) => quoteIdentifier(role),
    membersQuery: `'SELECT m.rolname AS name FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = ' || quote_literal(target_role)`,
    rolesQuery: `'SELECT rolname AS name FROM pg_roles'`,
    revokeRoleExpression: `'REVOKE ' || quote_ident(target_role) || ' FROM ' || quote_ident(member.name)`,
};
const PLAIN_TABLES: WarehouseDialect = { tableAttributes: () => "", createStage: () => "", copyFromManifest: () => "" };

describe("warehouse persona SQL", () => {
    describe("what each persona reads, by its Lake Formation grants", () => {
        it("gives the prod personas what their grants allow on the curated tables, masking the PII columns they may not read", () => {
            const access = byPersona(personaAccess(governance(), domains));
            // analysts read the analytics zone only: nothing in the warehouse.
            assert.deepEqual(access.analysts.tables, []);
            // orders_engineers: ALL on orders' curated table, no classification named: every column, PII included.
            assert.deepEqual(access.orders_engineers.tables, [
                { domain: "orders", clear: ["order_id", "customer_id", "amount", "currency", "ordered_at"], masked: [], wholeTable: true },
            ]);
            // ml: internal clickstream minus its PII column; orders (classified pii) only through the PII filter.
            assert.deepEqual(access.ml.tables, [
                { domain: "clickstream", clear: ["event_id", "event_type", "page_url", "duration_ms", "event_time"], masked: ["user_id"], wholeTable: true },
                { domain: "orders", clear: ["order_id", "amount", "currency", "ordered_at"], masked: ["customer_id"], wholeTable: true },
            ]);
            assert.deepEqual(access.ml.users, ["IAMR:MachineLearning"]);
            assert.equal(access.ml.role, "persona_ml");
        });

        it("without the PII filters, a persona whose grants miss a table's classification reads nothing of it", () => {
            const access = byPersona(personaAccess(governance(PROD_PERSONAS, { piiFilters: false }), domains));
            assert.deepEqual(
                access.ml.tables.map((t) => t.domain),
                ["clickstream"],
            );
        });

        it("a grant naming the pii classification reads PII unmasked; one naming only it reads just those columns", () => {
            const piiOnly: Personas = {
                analysts: { roleArns: ["arn:aws:iam::333333333333:role/Analysts"], grants: [{ resourceType: "TABLE", permissions: ["SELECT"], expression: { zone: ["curated"], classification: ["pii"] } }] },
                readers: { roleArns: ["arn:aws:iam::333333333333:role/Readers"], grants: [{ resourceType: "TABLE", permissions: ["SELECT"], expression: { zone: ["curated"], classification: ["internal", "pii"] } }] },
            };
            const access = byPersona(personaAccess(governance(piiOnly), domains));
            // The orders table is classified pii, so every column of it matches; of clickstream only user_id does.
            assert.deepEqual(access.analysts.tables, [
                { domain: "clickstream", clear: ["user_id"], masked: [], wholeTable: false },
                { domain: "orders", clear: ["order_id", "customer_id", "amount", "currency", "ordered_at"], masked: [], wholeTable: true },
            ]);
            assert.deepEqual(
                access.readers.tables.map((t) => [t.domain, t.masked, t.wholeTable]),
                [
                    ["clickstream", [], true],
                    ["orders", [], true],
                ],
            );
        });

        it("DESCRIBE alone, or a DATABASE grant, reads nothing", () => {
            const describers: Personas = {
                lookers: {
                    roleArns: ["arn:aws:iam::333333333333:role/Lookers"],
                    grants: [
                        { resourceType: "TABLE", permissions: ["DESCRIBE"], expression: { zone: ["curated"] } },
                        { resourceType: "DATABASE", permissions: ["ALL"], expression: { zone: ["curated"] } },
                    ],
                },
            };
            assert.deepEqual(personaAccess(governance(describers), domains)[0].tables, []);
        });

        it("masks every PII column for every persona that reads its table without PII access, and never for one with it", () => {
            const personas: Personas = {
                ...PROD_PERSONAS,
                internal: { roleArns: ["arn:aws:iam::333333333333:role/Internal"], grants: [{ resourceType: "TABLE", permissions: ["SELECT"], expression: { zone: ["curated"], classification: ["internal", "confidential"] } }] },
                everything: { roleArns: ["arn:aws:iam::333333333333:role/Everything"], grants: [{ resourceType: "TABLE", permissions: ["ALL"], expression: { zone: ["curated"] } }] },
            };
            const input = governance(personas, { tableClassification: [] });
            const access = personaAccess(input, domains);
            const attachments = maskAttachments(access, domains);
            for (const a of access) {
                for (const t of a.tables) {
                    for (const pii of piiColumns(input).filter((p) => p.domain === t.domain)) {
                        const masked = attachments.some((m) => m.role === a.role && m.domain === t.domain && m.column === pii.column);
                        const clear = t.clear.includes(pii.column);
                        assert.equal(masked, t.wholeTable && !clear, `${a.persona} ${t.domain}.${pii.column}`);
                        assert.ok(!(masked && clear), `${a.persona} reads ${pii.column} clear and masked`);
                    }
                    // Nothing but a PII column is ever masked.
                    for (const m of t.masked) assert.ok(piiColumns(input).some((p) => p.domain === t.domain && p.column === m), `${a.persona} ${t.domain}.${m}`);
                }
            }
            const everything = byPersona(access).everything;
            assert.deepEqual(
                everything.tables.map((t) => t.masked),
                [[], []],
            );
            assert.deepEqual(
                byPersona(access).internal.tables.map((t) => [t.domain, t.masked]),
                [
                    ["clickstream", ["user_id"]],
                    ["orders", ["customer_id"]],
                ],
            );
        });
    });

    describe("identities", () => {
        it("maps an IAM role to the IAMR: user it signs in as, path left out, and refuses anything else", () => {
            assert.equal(iamRoleUser("arn:aws:iam::333333333333:role/Analysts"), "IAMR:Analysts");
            assert.equal(iamRoleUser("arn:aws:iam::333333333333:role/team/data/ml.ops@x"), "IAMR:ml.ops@x");
            assert.throws(() => iamRoleUser("arn:aws:iam::333333333333:user/alice"), /persona role ARN arn:aws:iam::333333333333:user\/alice is not an IAM role ARN/);
            assert.throws(() => iamRoleUser("arn:aws:iam::333333333333:role/bad'name"), /is not an IAM role ARN/);
            assert.deepEqual(redshiftDbRolesTag("ml"), { RedshiftDbRoles: "persona_ml" });
        });
    });

    describe("on PostgreSQL (roles, users, memberships, grants)", function () {
        this.timeout(120_000);
        let db: PGlite;
        const run = async (statements: { id: string; sql: string }[]) => {
            for (const s of statements) {
                try {
                    await db.exec(s.sql);
                } catch (error) {
                    throw new Error(`${s.id}: ${(error as Error).message}\n${s.sql}`);
                }
            }
        };
        /** Whether `user` may select `columns` of `lake.<domain>`. */
        const canSelect = async (user: string, domain: string, columns: string[]) => {
            await db.exec(`SET ROLE ${quoteIdentifier(user)}`);
            try {
                await db.query(`SELECT ${columns.map(quoteIdentifier).join(", ")} FROM lake.${quoteIdentifier(domain)}`);
                return true;
            } catch (error) {
                assert.match((error as Error).message, /permission denied/);
                return false;
            } finally {
                await db.exec("RESET ROLE");
            }
        };
        const members = async (role: string) =>
            (await db.query<{ name: string }>(`SELECT m.rolname AS name FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = $1 ORDER BY 1`, [role])).rows.map(
                (r) => r.name,
            );

        before(async () => {
            db = await PGlite.create();
            await db.exec("CREATE SCHEMA lake");
            for (const d of domains) await db.exec(createTableSql(d, PLAIN_TABLES));
            await db.exec(`INSERT INTO lake.orders VALUES ('o1', 'c1', 10.5, 'EUR', '2024-01-01 00:00:00')`);
        });
        after(async () => db?.close());

        it("creates the roles and users, grants what each persona reads, and running again changes nothing", async () => {
            const statements = personaStatements(personaAccess(governance(), domains), POSTGRES);
            await run(statements);
            const snapshot = async () =>
                JSON.stringify([
                    (await db.query(`SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE 'persona\\_%' OR rolname LIKE 'IAMR:%' ORDER BY 1`)).rows,
                    (await db.query(`SELECT grantee, table_name, privilege_type FROM information_schema.role_table_grants WHERE table_schema = 'lake' ORDER BY 1, 2, 3`)).rows,
                    (await db.query(`SELECT grantee, table_name, column_name FROM information_schema.column_privileges WHERE table_schema = 'lake' ORDER BY 1, 2, 3`)).rows,
                    await members("persona_ml"),
                ]);
            const first = await snapshot();
            await run(statements);
            assert.equal(await snapshot(), first);

            assert.deepEqual(await members("persona_orders_engineers"), ["IAMR:OrdersDataEngineers"]);
            assert.equal(await canSelect("IAMR:OrdersDataEngineers", "orders", ["order_id", "customer_id"]), true);
            assert.equal(await canSelect("IAMR:OrdersDataEngineers", "clickstream", ["event_id"]), false);
            // ml reads both tables (Redshift masks the PII columns, which PostgreSQL cannot show).
            assert.equal(await canSelect("IAMR:MachineLearning", "clickstream", ["event_id", "user_id"]), true);
            assert.equal(await canSelect("IAMR:MachineLearning", "orders", ["order_id"]), true);
            assert.equal(await canSelect("IAMR:Analysts", "orders", ["order_id"]), false);
            assert.equal(await canSelect("IAMR:Analysts", "clickstream", ["event_id"]), false);
        });

        it("grants only the readable columns to a persona that reads part of a table", async () => {
            const piiOnly: Personas = {
                ...PROD_PERSONAS,
                analysts: { roleArns: ["arn:aws:iam::333333333333:role/Analysts"], grants: [{ resourceType: "TABLE", permissions: ["SELECT"], expression: { zone: ["curated"], classification: ["pii"] } }] },
            };
            await run(personaStatements(personaAccess(governance(piiOnly), domains), POSTGRES));
            assert.equal(await canSelect("IAMR:Analysts", "clickstream", ["user_id"]), true);
            assert.equal(await canSelect("IAMR:Analysts", "clickstream", ["event_id"]), false);
            assert.equal(await canSelect("IAMR:Analysts", "orders", ["customer_id", "amount"]), true);
        });

        it("takes back what the model no longer allows: a grant, a role ARN, a whole persona", async () => {
            const reduced: Personas = {
                // ml no longer reads through the PII filters: it loses orders (classified pii), keeps clickstream.
                ml: { ...PROD_PERSONAS.ml, usePiiFilters: false },
                // orders_engineers now signs in through another role only.
                orders_engineers: { ...PROD_PERSONAS.orders_engineers, roleArns: ["arn:aws:iam::333333333333:role/OrdersOnCall"] },
                // analysts is no longer declared.
            };
            await run(personaStatements(personaAccess(governance(reduced), domains), POSTGRES));
            assert.equal(await canSelect("IAMR:MachineLearning", "orders", ["order_id"]), false);
            assert.equal(await canSelect("IAMR:MachineLearning", "clickstream", ["event_id"]), true);
            assert.deepEqual(await members("persona_orders_engineers"), ["IAMR:OrdersOnCall"]);
            assert.equal(await canSelect("IAMR:OrdersDataEngineers", "orders", ["order_id"]), false);
            assert.equal(await canSelect("IAMR:OrdersOnCall", "orders", ["customer_id"]), true);
            assert.deepEqual(await members("persona_analysts"), [], "a retired persona's role is held by nobody");
            assert.equal(await canSelect("IAMR:Analysts", "clickstream", ["user_id"]), false);
        });
    });

    describe("Redshift-only statements (by their documented shape)", () => {
        const access = personaAccess(governance(), domains);

        it("creates one NULL-returning masking policy per PII column name and type, detaches before it attaches, and gives each persona its own priority", () => {
            const statements = maskingStatements(access, domains, piiColumns(governance()));
            const policies = statements.filter((s) => s.id.startsWith("mask-policy-"));
            assert.deepEqual(
                policies.map((s) => s.sql),
                ["pii_mask_user_id_varchar_65535", "pii_mask_customer_id_varchar_65535"].map(
                    (p) =>
                        `CALL lake.apply_if('SELECT COUNT(*) FROM svv_masking_policy WHERE policy_name = ''${p}''', FALSE, 'CREATE MASKING POLICY "${p}" WITH (pii_value VARCHAR(65535)) USING (NULL::VARCHAR(65535))')`,
                ),
            );
            const attaches = statements.filter((s) => s.id.endsWith("-attach"));
            assert.deepEqual(
                attaches.map((s) => s.id),
                ["mask-ml-clickstream-user_id-attach", "mask-ml-orders-customer_id-attach"],
            );
            for (const s of attaches) {
                assert.match(
                    s.sql,
                    /^CALL lake\.apply_if\('SELECT COUNT\(\*\) FROM svv_attached_masking_policy WHERE policy_name = ''pii_mask_\w+'' AND schema_name = ''lake'' AND table_name = ''\w+'' AND grantee = ''persona_ml''', FALSE, 'ATTACH MASKING POLICY "pii_mask_\w+" ON lake\."\w+"\("\w+"\) TO ROLE "persona_ml" PRIORITY 2'\)$/,
                );
            }
            // Every attachment of a declared persona is checked, wanted or not; detaching comes first.
            const detaches = statements.filter((s) => s.id.endsWith("-detach"));
            assert.equal(detaches.length, access.length * 2);
            const lastDetach = Math.max(...statements.flatMap((s, i) => (s.id.endsWith("-detach") ? [i] : [])));
            assert.ok(statements.findIndex((s) => s.id.endsWith("-attach")) > lastDetach);
            const keep = detaches.find((s) => s.id === "mask-ml-orders-customer_id-detach")!;
            assert.match(keep.sql, /AND priority <> 2', TRUE, 'DETACH MASKING POLICY "pii_mask_customer_id_varchar_65535" ON lake\."orders"\("customer_id"\) FROM ROLE "persona_ml"'\)$/);
            const drop = detaches.find((s) => s.id === "mask-orders_engineers-orders-customer_id-detach")!;
            assert.doesNotMatch(drop.sql, /priority/);
            // Priorities are distinct per persona, so no two attachments on one column share one.
            const many = personaAccess(
                governance({
                    a: { roleArns: ["arn:aws:iam::111111111111:role/A"], grants: [{ resourceType: "TABLE", permissions: ["SELECT"], expression: { classification: ["internal"] } }] },
                    b: { roleArns: ["arn:aws:iam::111111111111:role/B"], grants: [{ resourceType: "TABLE", permissions: ["SELECT"], expression: { classification: ["internal"] } }] },
                }),
                domains,
            );
            const onUserId = maskAttachments(many, domains).filter((m) => m.column === "user_id");
            assert.equal(onUserId.length, 2);
            assert.equal(new Set(onUserId.map((m) => m.priority)).size, 2);
        });

        it("maps each curated database to an external schema; with the session identity every reader gets USAGE, with one role only those reading every column clear", () => {
            const schemas = spectrumSchemas("lakehouse-prod", domains);
            assert.deepEqual(schemas, [
                { domain: "clickstream", schema: "curated_clickstream", database: "lakehouse_prod_curated_clickstream" },
                { domain: "orders", schema: "curated_orders", database: "lakehouse_prod_curated_orders" },
            ]);
            const session = spectrumStatements(schemas, { kind: "session" }, access);
            assert.equal(
                session.find((s) => s.id === "spectrum-orders")!.sql,
                `CREATE EXTERNAL SCHEMA IF NOT EXISTS "curated_orders" FROM DATA CATALOG DATABASE 'lakehouse_prod_curated_orders' IAM_ROLE 'SESSION'`,
            );
            const usage = (statements: { id: string; sql: string }[]) => statements.filter((s) => s.sql.startsWith("GRANT USAGE")).map((s) => s.id);
            assert.deepEqual(usage(session), ["spectrum-clickstream-ml", "spectrum-orders-ml", "spectrum-orders-orders_engineers"]);
            const lakeRole = "arn:aws:iam::123456789012:role/lakehouse-prod-warehouse-lake";
            const shared = spectrumStatements(schemas, { kind: "role", arn: lakeRole }, access);
            assert.deepEqual(usage(shared), ["spectrum-orders-orders_engineers"], "ml would read PII through a role that reads every column");
            assert.equal(shared.find((s) => s.id === "spectrum-orders-identity")!.sql, `ALTER EXTERNAL SCHEMA "curated_orders" IAM_ROLE '${lakeRole}'`);
            assert.equal(shared.find((s) => s.id === "spectrum-clickstream-analysts")!.sql, `REVOKE USAGE ON SCHEMA "curated_clickstream" FROM ROLE "persona_analysts"`);
        });

        it("assembles roles, masking and Spectrum with ids the schema function accepts, each once", () => {
            const all = warehousePersonaStatements({ governance: governance(), domains, spectrum: { kind: "session" } });
            const ids = all.map((s) => s.id);
            assert.equal(new Set(ids).size, ids.length);
            for (const id of ids) assert.match(id, /^[a-zA-Z0-9_.-]{1,128}$/);
            assert.ok(ids.indexOf("personas-retire-undeclared") < ids.indexOf("mask-policy-pii_mask_user_id_varchar_65535"));
            assert.ok(ids.indexOf("mask-ml-orders-customer_id-attach") < ids.indexOf("spectrum-clickstream"));
            assert.ok(!all.some((s) => /\bTO PUBLIC\b/.test(s.sql)), "nothing is granted to PUBLIC");
            assert.equal(warehousePersonaStatements({ governance: governance(), domains }).filter((s) => s.id.startsWith("spectrum-")).length, 0);
        });
    });
});
