import { policyOf, resourcesUnder, single, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { IamAllowedPrincipalsRevocationFunction } from "../../../components/governance";

const LAKE_KEY = "arn:aws:kms:eu-west-1:123456789012:key/lake";

describe("IamAllowedPrincipalsRevocationFunction", () => {
    const build = (name: string) =>
        new IamAllowedPrincipalsRevocationFunction(name, {
            functionName: `${name}-fn`,
            roleName: `${name}-lf-revocation`,
            databases: ["gov_raw_orders", "gov_curated_orders"],
            catalogKeyArn: LAKE_KEY,
            network: { vpcId: "vpc-1", vpcCidr: "10.40.0.0/20", subnetIds: ["subnet-a", "subnet-b"] },
            operationsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/ops",
            logRetentionDays: 30,
            account: testAccount,
            protection: { protect: false, removeDataOnDestroy: true },
        });

    it("runs in the VPC as a role of a fixed name, which the Lake Formation settings name as an administrator", async () => {
        const component = build("rev-a");
        const resources = await resourcesUnder(component);
        assert.equal(single(resources, "aws:iam/role:Role").inputs.name, "rev-a-lf-revocation");
        const fn = single(resources, "aws:lambda/function:Function").inputs as any;
        assert.equal(fn.name, "rev-a-fn");
        assert.deepEqual(fn.vpcConfig.subnetIds, ["subnet-a", "subnet-b"]);
        assert.deepEqual(fn.environment.variables, { CATALOG_ID: testAccount.accountId }, "the catalog it may revoke in is pinned at deploy time");
        assert.equal(await new Promise((resolve) => component.roleArn.apply(resolve)), `arn:aws:iam::${testAccount.accountId}:role/rev-a-lf-revocation`);
    });

    it("may revoke, and read the governed databases, their tables and the encrypted catalog through Glue: nothing else", async () => {
        const statements = policyOf(single(await resourcesUnder(build("rev-b")), "aws:iam/rolePolicy:RolePolicy")).Statement;
        const glue = `arn:aws:glue:eu-west-1:${testAccount.accountId}`;
        assert.deepEqual(statements.find((s) => s.Sid === "RevokePermissions").Action, ["lakeformation:RevokePermissions"]);
        const read = statements.find((s) => s.Sid === "ReadGovernedCatalog");
        assert.deepEqual(read.Action, ["glue:GetDatabase", "glue:GetTable"]);
        assert.deepEqual(read.Resource, [`${glue}:catalog`, `${glue}:database/gov_raw_orders`, `${glue}:table/gov_raw_orders/*`, `${glue}:database/gov_curated_orders`, `${glue}:table/gov_curated_orders/*`]);
        const decrypt = statements.find((s) => s.Sid === "DecryptCatalogMetadata");
        assert.equal(decrypt.Resource, LAKE_KEY);
        assert.deepEqual(decrypt.Condition, { StringEquals: { "kms:ViaService": "glue.eu-west-1.amazonaws.com" } });
        assert.ok(!statements.some((s) => [s.Action].flat().some((a: string) => a.startsWith("lakeformation:") && a !== "lakeformation:RevokePermissions")));
    });
});
