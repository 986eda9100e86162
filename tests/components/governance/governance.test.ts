import { allRecorded, ofType, policyOf, resolved, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { IamAllowedPrincipalsRevocationFunction, LakeFormationSettings, LakeGovernance, revocationInvocationInput } from "../../../components/governance";
import { governanceModel } from "../../../lib/governance";

const model = governanceModel({
    namePrefix: "gov",
    domains: [
        { name: "orders", transport: "kinesis", columns: [{ name: "customer_id", pii: true }] },
        { name: "clicks", transport: "msk", columns: [{ name: "page", pii: false }] },
    ],
    classifications: ["public", "internal", "confidential", "pii"],
    databaseClassification: { orders: "confidential", clicks: "internal" },
    personas: {
        analysts: { roleArns: ["arn:aws:iam::123456789012:role/Analysts"], grants: [{ resourceType: "TABLE", permissions: ["SELECT", "DESCRIBE"], expression: { zone: ["analytics"], classification: ["public", "internal"] } }] },
        ml: { roleArns: ["arn:aws:iam::123456789012:role/ML"], grants: [], usePiiFilters: true },
    },
    piiFilters: true,
    tableClassification: [{ domain: "orders", zone: "curated", classification: "pii" }],
});

const databases = Object.fromEntries(Object.keys(model.databaseTags).map((db) => [db, db]));
const tables = Object.fromEntries([...model.piiFilters.map((f) => `${f.database}.${f.table}`), ...Object.keys(model.columnTags), ...Object.keys(model.tableTags)].map((qualified) => [qualified, qualified.split(".")[1]]));


describe("LakeFormationSettings", () => {
    it("names the administrators and leaves IAM_ALLOWED_PRINCIPALS no default permissions", async () => {
        const settings = single(await resourcesUnder(new LakeFormationSettings("lfs-a", { administrators: ["arn:aws:iam::123456789012:role/Admin"], trustedResourceOwners: ["210987654321"] })), "aws:lakeformation/dataLakeSettings:DataLakeSettings").inputs;
        assert.deepEqual(settings.admins, ["arn:aws:iam::123456789012:role/Admin"]);
        assert.deepEqual(settings.createDatabaseDefaultPermissions, []);
        assert.deepEqual(settings.createTableDefaultPermissions, []);
        assert.deepEqual(settings.parameters, { CROSS_ACCOUNT_VERSION: "4" });
        assert.deepEqual(settings.trustedResourceOwners, ["210987654321"]);
    });

    it("creates nothing where another stack owns the account settings, and refuses no administrators", async () => {
        assert.equal((await resourcesUnder(new LakeFormationSettings("lfs-b", { administrators: ["arn:aws:iam::123456789012:role/Admin"], manage: false }))).length, 0);
        assert.throws(() => new LakeFormationSettings("lfs-c", { administrators: [] }), /at least one administrator/);
    });

    it("refuses a deployment run by anyone but an administrator, and never adds the runner to them", async () => {
        const admin = "arn:aws:iam::123456789012:role/Admin";
        const deployer = "arn:aws:iam::123456789012:role/ci/Deployer";
        const byDeployer = single(await resourcesUnder(new LakeFormationSettings("lfs-d", { administrators: [admin, deployer], runner: deployer })), "aws:lakeformation/dataLakeSettings:DataLakeSettings");
        assert.deepEqual(byDeployer.inputs.admins, [admin, deployer]);
        const byAdmin = single(await resourcesUnder(new LakeFormationSettings("lfs-e", { administrators: [admin, deployer], runner: admin })), "aws:lakeformation/dataLakeSettings:DataLakeSettings");
        assert.deepEqual(byAdmin.inputs.admins, [admin, deployer], "the same settings whoever of them deploys");
        const person = "arn:aws:iam::123456789012:role/SomeEngineer";
        const refused = new LakeFormationSettings("lfs-h", { administrators: [admin, deployer], runner: person });
        // Output.apply never surfaces a failure; the SDK's internal promise() does, as the engine would.
        await assert.rejects(
            (refused.administrators as unknown as { promise(): Promise<string[]> }).promise(),
            /runs as arn:aws:iam::123456789012:role\/SomeEngineer, which is neither deployerRoleArn nor one of administrators/,
        );
    });

    it("makes the stack's own roles administrators too, whoever deploys, waiting for them to exist, without checking the runner against them", async () => {
        const admin = "arn:aws:iam::123456789012:role/Admin";
        const role = new aws.iam.Role("lfs-i-revocation", { name: "gov-lf-revocation", assumeRolePolicy: "{}" });
        const settings = single(await resourcesUnder(new LakeFormationSettings("lfs-i", { administrators: [admin], stackAdministrators: [role.arn], runner: admin })), "aws:lakeformation/dataLakeSettings:DataLakeSettings");
        assert.deepEqual(settings.inputs.admins, [admin, "arn:aws:iam::123456789012:role/gov-lf-revocation"]);
        const roleUrn = (await allRecorded()).find((r) => r.name === "lfs-i-revocation")!.urn;
        assert.ok(settings.dependencies.includes(roleUrn), "Lake Formation refuses an administrator that does not exist yet");
        const refused = new LakeFormationSettings("lfs-j", { administrators: [admin], stackAdministrators: [role.arn], runner: "arn:aws:iam::123456789012:role/gov-lf-revocation" });
        await assert.rejects((refused.administrators as unknown as { promise(): Promise<string[]> }).promise(), /which is neither deployerRoleArn nor one of administrators/);
    });

    it("retains the account-wide settings on delete always, and protects them unless told not to", async () => {
        const unprotected = single(await resourcesUnder(new LakeFormationSettings("lfs-f", { administrators: ["arn:aws:iam::123456789012:role/Admin"], protectSettings: false })), "aws:lakeformation/dataLakeSettings:DataLakeSettings");
        assert.equal(unprotected.retainOnDelete, true, "even where stacks are destroyed routinely");
        assert.equal(unprotected.protect, false);
        const byDefault = single(await resourcesUnder(new LakeFormationSettings("lfs-g", { administrators: ["arn:aws:iam::123456789012:role/Admin"] })), "aws:lakeformation/dataLakeSettings:DataLakeSettings");
        assert.equal(byDefault.retainOnDelete, true);
        assert.equal(byDefault.protect, true);
    });
});

describe("LakeGovernance", () => {
    const build = (name: string) => {
        const revocationFunction = new IamAllowedPrincipalsRevocationFunction(`${name}-revocation`, {
            functionName: `${name}-revocation`,
            roleName: `${name}-lf-revocation`,
            databases: Object.keys(databases),
            catalogKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/lake",
            network: { vpcId: "vpc-1", vpcCidr: "10.40.0.0/20", subnetIds: ["subnet-a", "subnet-b"] },
            operationsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops",
            logRetentionDays: 30,
            account: testAccount,
            protection: { protect: false, removeDataOnDestroy: true },
        });
        const settings = new LakeFormationSettings(`${name}-settings`, { administrators: ["arn:aws:iam::123456789012:role/Admin"] });
        return {
            settingsUrn: settings.settings!.urn,
            governance: new LakeGovernance(name, {
                namePrefix: "gov",
                model,
                zoneBucketArns: { raw: "arn:aws:s3:::raw-b", curated: "arn:aws:s3:::cur-b", analytics: "arn:aws:s3:::ana-b" },
                lakeKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/lake",
                databases,
                tables,
                serviceRoleArn: (role) => `arn:aws:iam::123456789012:role/${role.service}`,
                hybridAccessZones: ["raw"],
                settings: settings.settings,
                account: testAccount,
                revocationFunction,
            }),
            revocationFunction,
        };
    };

    it("registers every zone with the dedicated role, hybrid only where asked", async () => {
        const resources = await resourcesUnder(build("gov-a").governance);
        const role = single(resources, "aws:iam/role:Role");
        assert.equal(role.inputs.name, "gov-lf-registration");
        assert.equal(policyOf(role, "assumeRolePolicy").Statement[0].Principal.Service, "lakeformation.amazonaws.com");
        const registrations = ofType(resources, "aws:lakeformation/resource:Resource");
        assert.deepEqual(registrations.map((r) => r.inputs.arn).sort(), ["arn:aws:s3:::ana-b", "arn:aws:s3:::cur-b", "arn:aws:s3:::raw-b"]);
        for (const r of registrations) {
            assert.equal(r.inputs.roleArn, "arn:aws:iam::123456789012:role/gov-lf-registration");
            assert.equal(r.inputs.useServiceLinkedRole, false);
            assert.equal(r.inputs.hybridAccessEnabled, r.inputs.arn === "arn:aws:s3:::raw-b");
        }
        const kms = policyOf(single(resources, "aws:iam/rolePolicy:RolePolicy")).Statement.find((s) => s.Sid === "UseLakeKey");
        assert.equal(kms.Resource, "arn:aws:kms:eu-west-1:123456789012:key/lake");
    });

    it("creates the domain, zone and classification tags and tags every database", async () => {
        const resources = await resourcesUnder(build("gov-b").governance);
        const tags = ofType(resources, "aws:lakeformation/lfTag:LfTag");
        assert.deepEqual(tags.map((t) => t.inputs.key).sort(), ["classification", "domain", "zone"]);
        assert.deepEqual(tags.find((t) => t.inputs.key === "zone")!.inputs.values, ["raw", "curated", "analytics"]);
        const assignments = ofType(resources, "aws:lakeformation/resourceLfTags:ResourceLfTags");
        const onDatabases = assignments.filter((a) => a.inputs.database);
        assert.equal(onDatabases.length, 6);
        const orders = onDatabases.find((a) => (a.inputs.database as any).name === "gov_curated_orders")!;
        assert.deepEqual(orders.inputs.lfTags, [{ key: "domain", value: "orders" }, { key: "zone", value: "curated" }, { key: "classification", value: "confidential" }]);
        for (const a of assignments) for (const t of tags) assert.ok(a.dependencies.includes(t.urn), "assignments wait for the tags");
    });

    it("revokes IAM_ALLOWED_PRINCIPALS on every governed database and each catalog table through its function, once the settings and the whole function exist", async () => {
        const { governance, settingsUrn, revocationFunction } = build("gov-iam");
        const resources = await resourcesUnder(governance);
        const settings = await new Promise<string>((resolve) => settingsUrn.apply(resolve));
        assert.equal(ofType(resources, "pulumi-nodejs:dynamic:Resource").length, 0, "no dynamic provider, whose closure a packaged install cannot serialize");
        const invocation = single(resources, "aws:lambda/invocation:Invocation");
        assert.equal(invocation.inputs.functionName, "gov-iam-revocation");
        const request = JSON.parse(String(invocation.inputs.input));
        assert.deepEqual([...request.databases].sort(), Object.keys(databases).sort());
        assert.deepEqual([...request.tables].sort(), Object.keys(tables).sort());
        assert.equal(request.catalogId, testAccount.accountId);
        assert.ok(invocation.dependencies.includes(settings));
        const functionResources = await resourcesUnder(revocationFunction);
        for (const type of ["aws:lambda/function:Function", "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:cloudwatch/logGroup:LogGroup", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"]) {
            for (const r of ofType(functionResources, type)) assert.ok(invocation.dependencies.includes(r.urn), `${type} ${r.name}`);
        }
    });

    it("runs the revocation again when a table is added, and not when nothing changes", async () => {
        const input = (d: string[], t: string[]) => resolved(revocationInvocationInput("123456789012", d, t));
        const before = await input(["a", "b"], ["a.x"]);
        assert.equal(await input(["a", "b"], ["a.x"]), before, "the same input, byte for byte: the invocation does not run again");
        assert.notEqual(await input(["a", "b"], ["a.x", "b.y"]), before);
    });

    it("classifies PII columns in every table, before any persona's grant can reach them", async () => {
        const resources = await resourcesUnder(build("gov-cols").governance);
        const onColumns = ofType(resources, "aws:lakeformation/resourceLfTags:ResourceLfTags").filter((a) => a.inputs.tableWithColumns);
        assert.deepEqual(
            onColumns.map((a) => [(a.inputs.tableWithColumns as any).databaseName, (a.inputs.tableWithColumns as any).name, (a.inputs.tableWithColumns as any).columnNames]).sort(),
            [
                ["gov_curated_orders", "orders", ["customer_id"]],
                ["gov_raw_orders", "orders", ["customer_id"]],
            ],
        );
        assert.ok(onColumns.every((a) => JSON.stringify(a.inputs.lfTags) === JSON.stringify([{ key: "classification", value: "pii" }])));
        // Service roles read what their service needs, PII included (see the ordering test below).
        const personaGrants = ofType(resources, "aws:lakeformation/permissions:Permissions").filter((g) => g.inputs.lfTagPolicy && !String(g.inputs.principal).match(/role\/(glue-jobs|glue-crawler|firehose|warehouse|table-optimizer)$/));
        assert.ok(personaGrants.length > 0);
        for (const grant of personaGrants) {
            for (const a of onColumns) assert.ok(grant.dependencies.includes(a.urn), `${grant.name} does not wait for the column classification`);
        }
    });

    it("replaces every tag assignment delete-first, so a replacement never ends with a column, table or database untagged", async () => {
        const resources = await resourcesUnder(build("gov-dbr").governance);
        const assignments = ofType(resources, "aws:lakeformation/resourceLfTags:ResourceLfTags");
        assert.ok(assignments.some((a) => a.inputs.tableWithColumns), "the fixture has column assignments");
        assert.ok(assignments.some((a) => a.inputs.table), "the fixture has table assignments");
        for (const a of assignments) assert.equal(a.options.deleteBeforeReplace, true, `${a.name} is replaced create-first`);
    });

    it("creates persona grants after every tag assignment (no PII column read as its table's classification), service grants after the tags only", async () => {
        const resources = await resourcesUnder(build("gov-order").governance);
        const assignments = ofType(resources, "aws:lakeformation/resourceLfTags:ResourceLfTags").map((a) => a.urn);
        const tagGrants = ofType(resources, "aws:lakeformation/permissions:Permissions").filter((g) => g.inputs.lfTagPolicy);
        const persona = tagGrants.filter((g) => !String(g.inputs.principal).match(/role\/(glue-jobs|glue-crawler|firehose|warehouse|table-optimizer)$/));
        const service = tagGrants.filter((g) => !persona.includes(g));
        assert.ok(persona.length > 0 && service.length > 0, "the fixture has both");
        for (const g of persona) assert.ok(assignments.every((a) => g.dependencies.includes(a)), `${g.name} may be created before a PII column is tagged`);
        // Each per-domain service grant waiting for every domain's assignments grows with the square of the domains.
        for (const g of service) assert.ok(!assignments.some((a) => g.dependencies.includes(a)), `${g.name} waits for assignments`);
    });

    it("replaces every grant delete-first, so a replacement never ends by revoking what the new grant kept", async () => {
        const grants = ofType(await resourcesUnder(build("gov-dbr-grants").governance), "aws:lakeformation/permissions:Permissions");
        for (const kind of ["lfTagPolicy", "dataLocation", "dataCellsFilter"]) assert.ok(grants.some((g) => g.inputs[kind]), `the fixture has ${kind} grants`);
        for (const g of grants) assert.equal(g.options.deleteBeforeReplace, true, `${g.name} is replaced create-first`);
    });

    it("grants personas and service roles through tag expressions, never grantable, after settings and tags", async () => {
        const { governance, settingsUrn } = build("gov-c");
        const resources = await resourcesUnder(governance);
        const settings = await new Promise<string>((resolve) => settingsUrn.apply(resolve));
        const grants = ofType(resources, "aws:lakeformation/permissions:Permissions");
        const tagGrants = grants.filter((g) => g.inputs.lfTagPolicy);
        const analysts = tagGrants.find((g) => g.inputs.principal === "arn:aws:iam::123456789012:role/Analysts")!;
        assert.deepEqual(analysts.inputs.lfTagPolicy, {
            resourceType: "TABLE",
            catalogId: "123456789012",
            expressions: [{ key: "zone", values: ["analytics"] }, { key: "classification", values: ["public", "internal"] }],
        });
        assert.deepEqual(analysts.inputs.permissions, ["DESCRIBE", "SELECT"]);
        const principals = new Set(tagGrants.map((g) => g.inputs.principal));
        for (const service of ["glue-jobs", "glue-crawler", "firehose"]) assert.ok(principals.has(`arn:aws:iam::123456789012:role/${service}`), service);
        // The warehouse loads with COPY and reads no catalog table (the analytics zone has none yet).
        assert.ok(!principals.has("arn:aws:iam::123456789012:role/warehouse"));
        // Every domain lands through its own Firehose (from a stream or a topic), which reads its raw table.
        const firehose = tagGrants.filter((g) => g.inputs.principal === "arn:aws:iam::123456789012:role/firehose");
        // Named by the model's slot, so a retired grant renames no other.
        assert.deepEqual(tagGrants.map((g) => g.name).sort(), model.tagGrants.map((g) => `gov-c-grant-${g.purpose}-${g.slot}`).sort());
        assert.deepEqual(firehose.map((g) => (g.inputs.lfTagPolicy as any).expressions[0].values[0]).sort(), ["clicks", "orders"]);
        for (const g of grants) {
            assert.deepEqual(g.inputs.permissionsWithGrantOptions, []);
            if (g.inputs.lfTagPolicy) assert.ok(g.dependencies.includes(settings), `${g.name} does not wait for the settings`);
        }
        const location = grants.filter((g) => (g.inputs.permissions as string[]).includes("DATA_LOCATION_ACCESS"));
        assert.deepEqual(location.map((g) => (g.inputs.dataLocation as any).arn).sort(), ["arn:aws:s3:::cur-b", "arn:aws:s3:::cur-b", "arn:aws:s3:::raw-b"], "the jobs and the table optimizers on curated, the crawlers on raw");
        const registrations = ofType(resources, "aws:lakeformation/resource:Resource");
        for (const g of location) assert.ok(g.dependencies.some((d) => registrations.some((r) => r.urn === d)), "location grants wait for the registration");
    });

    it("hides PII columns behind a data cells filter granted to the filtered personas", async () => {
        const resources = await resourcesUnder(build("gov-d").governance);
        const filter = single(resources, "aws:lakeformation/dataCellsFilter:DataCellsFilter").inputs.tableData as any;
        assert.deepEqual(filter.columnWildcard, { excludedColumnNames: ["customer_id"] });
        assert.deepEqual([filter.databaseName, filter.tableName, filter.name], ["gov_curated_orders", "orders", "gov-pii-hidden-0"]);
        const grant = ofType(resources, "aws:lakeformation/permissions:Permissions").find((g) => g.inputs.dataCellsFilter)!;
        assert.equal(grant.inputs.principal, "arn:aws:iam::123456789012:role/ML");
        assert.deepEqual(grant.inputs.permissions, ["SELECT"]);
    });
});
