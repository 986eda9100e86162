import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as sdk from "@aws-sdk/client-lakeformation";
import * as pulumi from "@pulumi/pulumi";
import { expectedState } from "../../../cli/governance/drift";
import {
    checkCredentials,
    IAM_ALLOWED_PRINCIPALS,
    IamAllowedPrincipalsRevocation,
    type LakeFormationCredentials,
    type LakeFormationSdk,
    revocationProvider,
    revokeIamAllowedPrincipals,
    runRevocation,
} from "../../../components/governance/iam-allowed-principals";
import { parseStackConfig, readStackFile } from "../../../config/loader";
import { cleanState, FakeLakeFormation } from "../../helpers/fake-lakeformation";

const config = parseStackConfig(readStackFile(path.resolve(__dirname, "../../../stacks/Pulumi.dev.yaml")));
const expected = expectedState(config, { accountId: "111111111111", region: "eu-west-1", partition: "aws" });
const lfSdk = sdk as unknown as LakeFormationSdk;
const held = (fake: FakeLakeFormation) => fake.state.permissions.filter((p) => p.principal === IAM_ALLOWED_PRINCIPALS);

describe("revoking IAM_ALLOWED_PRINCIPALS", () => {
    const fake = new FakeLakeFormation(cleanState(expected));
    let client: sdk.LakeFormationClient;
    const [first, second] = expected.databases;
    before(async () => {
        const endpoint = await fake.start();
        client = new sdk.LakeFormationClient({ region: "eu-west-1", endpoint, credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" }, maxAttempts: 1 });
    });
    after(() => fake.stop());
    beforeEach(() => {
        for (const key of Object.keys(fake.calls)) delete fake.calls[key];
        fake.failures = {};
    });

    it("revokes what IAM_ALLOWED_PRINCIPALS holds on a database and its tables, and takes 'nothing to revoke' in stride", async () => {
        fake.state.permissions.push(
            { principal: IAM_ALLOWED_PRINCIPALS, resource: { Database: { Name: first } }, permissions: ["ALL"] },
            { principal: IAM_ALLOWED_PRINCIPALS, resource: { Table: { DatabaseName: first, TableWildcard: {} } }, permissions: ["ALL"] },
        );
        const others = fake.state.permissions.filter((p) => p.principal !== IAM_ALLOWED_PRINCIPALS).length;
        const revoked = await revokeIamAllowedPrincipals(lfSdk, client, "111111111111", [first, second]);
        assert.deepEqual(revoked, [`database ${first}`, `tables of ${first}`]);
        assert.equal(held(fake).length, 0);
        assert.equal(fake.state.permissions.length, others, "no other grant is touched");
        assert.equal(fake.calls.RevokePermissions, 4, "both databases and their tables were asked");
    });

    it("revokes the grant each table holds on itself, which revoking the table wildcard leaves in place", async () => {
        // What a table created under the account's old defaults holds (pulumi-aws#4366).
        fake.state.permissions.push(
            { principal: IAM_ALLOWED_PRINCIPALS, resource: { Table: { DatabaseName: first, Name: "orders" } }, permissions: ["ALL"] },
            { principal: IAM_ALLOWED_PRINCIPALS, resource: { Table: { DatabaseName: second, Name: "clicks" } }, permissions: ["ALL"] },
        );
        const withoutTables = await revokeIamAllowedPrincipals(lfSdk, client, "111111111111", [first, second]);
        assert.deepEqual(withoutTables, []);
        assert.equal(held(fake).length, 2, "the wildcard does not reach a table's own grant");

        const revoked = await revokeIamAllowedPrincipals(lfSdk, client, "111111111111", [first, second], [`${first}.orders`, `${second}.clicks`]);
        assert.deepEqual(revoked, [`table ${first}.orders`, `table ${second}.clicks`]);
        assert.equal(held(fake).length, 0);
    });

    it("is idempotent: a second run finds nothing to revoke and is not an error", async () => {
        fake.state.permissions.push({ principal: IAM_ALLOWED_PRINCIPALS, resource: { Table: { DatabaseName: first, Name: "orders" } }, permissions: ["ALL"] });
        assert.deepEqual(await revokeIamAllowedPrincipals(lfSdk, client, "111111111111", [first], [`${first}.orders`]), [`table ${first}.orders`]);
        assert.deepEqual(await revokeIamAllowedPrincipals(lfSdk, client, "111111111111", [first], [`${first}.orders`]), []);
        assert.equal(fake.calls.RevokePermissions, 6);
    });

    it("fails on any other error, an InvalidInputException that is not 'nothing to revoke' included", async () => {
        fake.failures.RevokePermissions = [{ type: "InvalidInputException", message: "Table name is invalid." }];
        await assert.rejects(revokeIamAllowedPrincipals(lfSdk, client, "111111111111", [], [`${first}.orders`]), /Table name is invalid/);
        fake.failures.RevokePermissions = [{ type: "AccessDeniedException", message: "Insufficient Lake Formation permission(s)" }];
        await assert.rejects(revokeIamAllowedPrincipals(lfSdk, client, "111111111111", [first]), /Insufficient Lake Formation permission/);
        await assert.rejects(revokeIamAllowedPrincipals(lfSdk, client, "111111111111", [], ["no-database"]), /not <database>.<table>/);
    });
});

describe("the revocation's credentials", () => {
    const fake = new FakeLakeFormation(cleanState(expected));
    const [database] = expected.databases;
    const saved: Record<string, string | undefined> = {};
    let dir: string;
    let files: { credentials: string; config: string };
    const chain = (): LakeFormationCredentials => ({
        profile: "deployer",
        sharedCredentialsFiles: [files.credentials],
        sharedConfigFiles: [files.config],
        assumeRoles: [{ roleArn: "arn:aws:iam::111111111111:role/first", externalId: "ext-1", sessionName: "lf-revocation" }, { roleArn: "arn:aws:iam::111111111111:role/second" }],
    });

    before(async () => {
        const endpoint = await fake.start();
        // The SDK's own endpoint setting (AWS_ENDPOINT_URL) points every client the revocation
        // builds, the nested STS clients of the credential chain included, at the stand-in.
        for (const key of ["AWS_ENDPOINT_URL", "AWS_MAX_ATTEMPTS", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]) saved[key] = process.env[key];
        process.env.AWS_ENDPOINT_URL = endpoint;
        process.env.AWS_MAX_ATTEMPTS = "1";
        for (const key of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]) delete process.env[key];
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "lf-credentials-"));
        files = { credentials: path.join(dir, "credentials"), config: path.join(dir, "config") };
        fs.writeFileSync(files.credentials, "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n\n[deployer]\naws_access_key_id = AKIDDEPLOYER\naws_secret_access_key = deployer-secret\n");
        fs.writeFileSync(files.config, "[profile deployer]\nregion = eu-west-1\n");
    });
    after(async () => {
        for (const [key, value] of Object.entries(saved)) {
            if (value === undefined) delete process.env[key];
            else process.env[key] = value;
        }
        fs.rmSync(dir, { recursive: true, force: true });
        await fake.stop();
    });
    beforeEach(() => {
        fake.signers.length = 0;
        fake.assumedRoles.length = 0;
        fake.callerAccount = "111111111111";
    });

    it("acts as the profile of the given shared files, through each assumed role in turn", async () => {
        fake.state.permissions.push({ principal: IAM_ALLOWED_PRINCIPALS, resource: { Table: { DatabaseName: database, Name: "orders" } }, permissions: ["ALL"] });
        const revoked = await runRevocation({ region: "eu-west-1", catalogId: "111111111111", databases: [database], tables: [`${database}.orders`], credentials: chain() });
        assert.deepEqual(revoked, [`table ${database}.orders`]);
        assert.deepEqual(fake.assumedRoles, [
            { accessKeyId: "AKIDDEPLOYER", roleArn: "arn:aws:iam::111111111111:role/first", externalId: "ext-1", sessionName: "lf-revocation" },
            { accessKeyId: "ASIAROLE1", roleArn: "arn:aws:iam::111111111111:role/second", externalId: undefined, sessionName: fake.assumedRoles[1]?.sessionName },
        ]);
        const lakeFormation = fake.signers.filter((s) => s.operation !== "AssumeRole");
        assert.deepEqual([...new Set(lakeFormation.map((s) => s.operation))].sort(), ["GetCallerIdentity", "RevokePermissions"]);
        assert.ok(lakeFormation.every((s) => s.accessKeyId === "ASIAROLE2"), "every call is signed by the last role");
    });

    it("works as the engine runs it: serialized with its closure, loaded from that text, created and updated", async () => {
        // What pulumi's dynamic provider host does with the resource's __provider input.
        const serialized = await pulumi.runtime.serializeFunction(() => revocationProvider, { allowSecrets: true });
        const requireFromString = require("require-from-string") as (code: string) => { handler: () => pulumi.dynamic.ResourceProvider };
        const provider = requireFromString(serialized.text).handler();
        fake.state.permissions.push({ principal: IAM_ALLOWED_PRINCIPALS, resource: { Table: { DatabaseName: database, Name: "orders" } }, permissions: ["ALL"] });
        const inputs = { region: "eu-west-1", catalogId: "111111111111", databases: [database], tables: [`${database}.orders`], credentials: chain() };
        const created = await provider.create(inputs);
        assert.deepEqual(created.outs.revoked, [`table ${database}.orders`]);
        assert.equal(held(fake).length, 0);

        // A new table changes the list: the revocation runs again, on it too.
        const news = { ...inputs, tables: [...inputs.tables, `${database}.orders_v2`] };
        assert.equal((await provider.diff!(created.id, created.outs, news)).changes, true);
        assert.equal((await provider.diff!(created.id, created.outs, { ...inputs, tables: [...inputs.tables].reverse(), credentials: { profile: "other" } })).changes, false, "the same tables, by anyone");
        fake.state.permissions.push({ principal: IAM_ALLOWED_PRINCIPALS, resource: { Table: { DatabaseName: database, Name: "orders_v2" } }, permissions: ["ALL"] });
        const updated = await provider.update!(created.id, created.outs, news);
        assert.deepEqual(updated.outs!.revoked, [`table ${database}.orders_v2`]);
        assert.equal(held(fake).length, 0);
    });

    it("uses the profile alone when no role is assumed", async () => {
        await runRevocation({ region: "eu-west-1", catalogId: "111111111111", databases: [database], tables: [], credentials: { ...chain(), assumeRoles: [] } });
        assert.equal(fake.assumedRoles.length, 0);
        assert.ok(fake.signers.length > 0 && fake.signers.every((s) => s.accessKeyId === "AKIDDEPLOYER"));
    });

    it("refuses to revoke anything when the credentials act in another account than the catalog's", async () => {
        fake.callerAccount = "999999999999";
        await assert.rejects(
            runRevocation({ region: "eu-west-1", catalogId: "111111111111", databases: [database], tables: [`${database}.orders`], credentials: chain() }),
            /account 999999999999 .*not in the catalog's account 111111111111; refusing to revoke/,
        );
        assert.deepEqual(
            fake.signers.map((s) => s.operation),
            ["AssumeRole", "AssumeRole", "GetCallerIdentity"],
            "nothing is revoked",
        );
    });

    it("refuses credentials it cannot honour, with the key and the value, before anything is registered", () => {
        assert.throws(() => checkCredentials({ sharedConfigFiles: ["/a", "/b"] }), /sharedConfigFiles lists 2 files \(\/a, \/b\); at most one/);
        assert.throws(() => checkCredentials({ sharedCredentialsFiles: ["/a", "/b"] }), /sharedCredentialsFiles lists 2 files/);
        assert.throws(() => checkCredentials({ assumeRoles: [{ roleArn: "deployer" }] }), /assumeRoles\[0\]\.roleArn is "deployer"; expected an IAM role ARN/);
        assert.doesNotThrow(() => checkCredentials(chain()));
        assert.throws(
            () => new IamAllowedPrincipalsRevocation("lf-bad-credentials", { region: "eu-west-1", catalogId: "111111111111", databases: [], credentials: { sharedConfigFiles: ["/a", "/b"] } }),
            /sharedConfigFiles lists 2 files/,
        );
    });
});
