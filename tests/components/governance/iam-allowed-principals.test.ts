import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as sdk from "@aws-sdk/client-lakeformation";
import { expectedState } from "../../../cli/governance/drift";
import { IAM_ALLOWED_PRINCIPALS, type LakeFormationSdk, revokeIamAllowedPrincipals } from "../../../components/governance/iam-allowed-principals";
import { parseStackConfig, readStackFile } from "../../../config/loader";
import { cleanState, FakeLakeFormation } from "../../helpers/fake-lakeformation";

const config = parseStackConfig(readStackFile(path.resolve(__dirname, "../../../stacks/Pulumi.dev.yaml")));
const expected = expectedState(config, { accountId: "111111111111", region: "eu-west-1", partition: "aws" });

describe("revoking IAM_ALLOWED_PRINCIPALS", () => {
    const fake = new FakeLakeFormation(cleanState(expected));
    let client: sdk.LakeFormationClient;
    before(async () => {
        const endpoint = await fake.start();
        client = new sdk.LakeFormationClient({ region: "eu-west-1", endpoint, credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" }, maxAttempts: 1 });
    });
    after(() => fake.stop());

    it("revokes what IAM_ALLOWED_PRINCIPALS holds on a database and its tables, and takes 'nothing to revoke' in stride", async () => {
        const [first, second] = expected.databases;
        fake.state.permissions.push(
            { principal: IAM_ALLOWED_PRINCIPALS, resource: { Database: { Name: first } }, permissions: ["ALL"] },
            { principal: IAM_ALLOWED_PRINCIPALS, resource: { Table: { DatabaseName: first, TableWildcard: {} } }, permissions: ["ALL"] },
        );
        const others = fake.state.permissions.filter((p) => p.principal !== IAM_ALLOWED_PRINCIPALS).length;
        const revoked = await revokeIamAllowedPrincipals(sdk as unknown as LakeFormationSdk, client, "111111111111", [first, second]);
        assert.deepEqual(revoked, [`database ${first}`, `tables of ${first}`]);
        assert.equal(fake.state.permissions.filter((p) => p.principal === IAM_ALLOWED_PRINCIPALS).length, 0);
        assert.equal(fake.state.permissions.length, others, "no other grant is touched");
        assert.equal(fake.calls.RevokePermissions, 4, "both databases and their tables were asked");
    });
});
