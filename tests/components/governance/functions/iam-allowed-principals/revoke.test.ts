import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as sdk from "@aws-sdk/client-lakeformation";
import { expectedState } from "../../../../../cli/governance/drift";
import { IAM_ALLOWED_PRINCIPALS, parseRequest, type RevokeInput, revokeIamAllowedPrincipals } from "../../../../../components/governance/functions/iam-allowed-principals/revoke";
import { parseStackConfig, readStackFile } from "../../../../../config/loader";
import { cleanState, FakeLakeFormation } from "../../../../helpers/fake-lakeformation";

const config = parseStackConfig(readStackFile(path.resolve(__dirname, "../../../../../stacks/Pulumi.dev.yaml")));
const expected = expectedState(config, { accountId: "111111111111", region: "eu-west-1", partition: "aws" });
const held = (fake: FakeLakeFormation) => fake.state.permissions.filter((p) => p.principal === IAM_ALLOWED_PRINCIPALS);
const request = (databases: string[], tables: string[] = []) => ({ catalogId: "111111111111", databases, tables });

describe("the IAM_ALLOWED_PRINCIPALS revocation function", () => {
    const fake = new FakeLakeFormation(cleanState(expected));
    let client: sdk.LakeFormationClient;
    let revoke: (input: RevokeInput) => Promise<unknown>;
    const [first, second] = expected.databases;
    before(async () => {
        const endpoint = await fake.start();
        client = new sdk.LakeFormationClient({ region: "eu-west-1", endpoint, credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" }, maxAttempts: 1 });
        revoke = (input) => client.send(new sdk.RevokePermissionsCommand(input));
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
        const revoked = await revokeIamAllowedPrincipals(revoke, request([first, second]));
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
        const withoutTables = await revokeIamAllowedPrincipals(revoke, request([first, second]));
        assert.deepEqual(withoutTables, []);
        assert.equal(held(fake).length, 2, "the wildcard does not reach a table's own grant");

        const revoked = await revokeIamAllowedPrincipals(revoke, request([first, second], [`${first}.orders`, `${second}.clicks`]));
        assert.deepEqual(revoked, [`table ${first}.orders`, `table ${second}.clicks`]);
        assert.equal(held(fake).length, 0);
    });

    it("is idempotent: a second run finds nothing to revoke and is not an error", async () => {
        fake.state.permissions.push({ principal: IAM_ALLOWED_PRINCIPALS, resource: { Table: { DatabaseName: first, Name: "orders" } }, permissions: ["ALL"] });
        assert.deepEqual(await revokeIamAllowedPrincipals(revoke, request([first], [`${first}.orders`])), [`table ${first}.orders`]);
        assert.deepEqual(await revokeIamAllowedPrincipals(revoke, request([first], [`${first}.orders`])), []);
        assert.equal(fake.calls.RevokePermissions, 6);
    });

    it("fails on any other error, an InvalidInputException that is not 'nothing to revoke' included", async () => {
        fake.failures.RevokePermissions = [{ type: "InvalidInputException", message: "Table name is invalid." }];
        await assert.rejects(revokeIamAllowedPrincipals(revoke, request([], [`${first}.orders`])), /Table name is invalid/);
        fake.failures.RevokePermissions = [{ type: "AccessDeniedException", message: "Insufficient Lake Formation permission(s)" }];
        await assert.rejects(revokeIamAllowedPrincipals(revoke, request([first])), /Insufficient Lake Formation permission/);
        await assert.rejects(revokeIamAllowedPrincipals(revoke, request([], ["no-database"])), /not <database>.<table>/);
    });

});

describe("reading a revocation request", () => {
    it("refuses another catalog, lists that are not names, and tables not named <database>.<table>", () => {
        assert.deepEqual(parseRequest('{"catalogId":"111111111111","databases":["a"],"tables":["a.b"]}', "111111111111"), request(["a"], ["a.b"]));
        assert.deepEqual(parseRequest({ catalogId: "111111111111", databases: ["a"] }, "111111111111"), request(["a"]));
        assert.throws(() => parseRequest(request(["a"]), "222222222222"), /revokes in catalog 222222222222, not 111111111111/);
        assert.throws(() => parseRequest({ catalogId: "111111111111", databases: "a" }, "111111111111"), /databases is not a list of names/);
        assert.throws(() => parseRequest({ catalogId: "111111111111", databases: [], tables: [""] }, "111111111111"), /tables is not a list of names/);
        assert.throws(() => parseRequest(request([], ["a.b.c"]), "111111111111"), /table "a.b.c" is not <database>.<table>/);
        assert.throws(() => parseRequest("null", "111111111111"), /not an object/);
    });
});
