import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { expectedState } from "../../../../../cli/governance/drift";
import { revocationCode } from "../../../../../components/governance/iam-allowed-principals";
import { IAM_ALLOWED_PRINCIPALS } from "../../../../../components/governance/functions/iam-allowed-principals/revoke";
import { parseStackConfig, readStackFile } from "../../../../../config/loader";
import { cleanState, FakeLakeFormation } from "../../../../helpers/fake-lakeformation";

const ROOT = path.resolve(__dirname, "../../../../..");
const config = parseStackConfig(readStackFile(path.join(ROOT, "stacks", "Pulumi.dev.yaml")));
const expected = expectedState(config, { accountId: "111111111111", region: "eu-west-1", partition: "aws" });

type Handler = (event: unknown) => Promise<{ catalogId: string; revoked: string[] }>;

/**
 * The archive the function ships, laid out as Lambda unpacks it, under the repository's
 * node_modules so that `@aws-sdk/client-lakeformation` resolves as the runtime's own copy would.
 */
async function deployedHandler(): Promise<Handler> {
    const cache = path.join(ROOT, "node_modules", ".cache");
    fs.mkdirSync(cache, { recursive: true });
    const dir = fs.mkdtempSync(path.join(cache, "lf-revocation-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const assets = (await revocationCode().assets) as Record<string, { text: Promise<string> }>;
    assert.deepEqual(Object.keys(assets).sort(), ["handler.js", "revoke.js"]);
    for (const [name, asset] of Object.entries(assets)) fs.writeFileSync(path.join(dir, name), await asset.text);
    return require(path.join(dir, "handler.js")).handler;
}

describe("IAM_ALLOWED_PRINCIPALS revocation function: the deployed handler", () => {
    const fake = new FakeLakeFormation(cleanState(expected));
    const saved = { ...process.env };
    const [, second] = expected.databases;
    let handler: Handler;
    before(async () => {
        // The SDK's own endpoint setting points the handler's module-level client at the stand-in.
        Object.assign(process.env, { AWS_ENDPOINT_URL: await fake.start(), AWS_REGION: "eu-west-1", AWS_ACCESS_KEY_ID: "AKIDFUNCTION", AWS_SECRET_ACCESS_KEY: "secret", AWS_MAX_ATTEMPTS: "1", CATALOG_ID: "111111111111" });
        delete process.env.AWS_PROFILE;
        delete process.env.AWS_SESSION_TOKEN;
        handler = await deployedHandler();
    });
    after(async () => {
        for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
        Object.assign(process.env, saved);
        await fake.stop();
    });

    it("revokes in the catalog its environment names, with the function's own credentials, what the invocation's JSON input lists", async () => {
        fake.state.permissions.push({ principal: IAM_ALLOWED_PRINCIPALS, resource: { Table: { DatabaseName: second, Name: "clicks" } }, permissions: ["ALL"] });
        const result = await handler(JSON.stringify({ catalogId: "111111111111", databases: [second], tables: [`${second}.clicks`] }));
        assert.deepEqual(result, { catalogId: "111111111111", revoked: [`table ${second}.clicks`] });
        assert.equal(fake.state.permissions.filter((p) => p.principal === IAM_ALLOWED_PRINCIPALS).length, 0);
        assert.ok(fake.signers.length > 0 && fake.signers.every((s) => s.operation === "RevokePermissions" && s.accessKeyId === "AKIDFUNCTION"));
    });

    it("refuses a request for another catalog before calling Lake Formation", async () => {
        const calls = fake.signers.length;
        await assert.rejects(handler({ catalogId: "999999999999", databases: [second], tables: [] }), /revokes in catalog 111111111111, not 999999999999/);
        assert.equal(fake.signers.length, calls);
    });
});
