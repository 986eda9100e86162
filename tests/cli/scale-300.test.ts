import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { scaledEnvironment } from "../../cli/lib/scaled-environment";
import { readEnvironment, writeEnvironment } from "../../cli/scale-env";
import { runCliAsync } from "../helpers/run-cli";

/**
 * The platform at 300 domains, planned as `npm run plan` plans it: the slowest test of the suite
 * (about five minutes on two cores, 3 GB), because the claim is about the whole plan: program,
 * policy pack (IAM policy sizes and history budgets included), quotas, cost and verifier at that count.
 */
describe("300 domains", () => {
    it("plan with zero mandatory violations, within their quotas, with zero broken hops", async function () {
        this.timeout(1_800_000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scale-300-"));
        try {
            const files = writeEnvironment(scaledEnvironment(readEnvironment("prod"), { name: "scale300", domains: 300 }), "scale300", dir);
            const json = path.join(dir, "plan.json");
            const result = await runCliAsync("cli/plan.ts", ["--stack", "scale300", "--config-file", files.stackFile, "--policy-config", files.policyConfig, "--json", json]);
            assert.equal(result.status, 0, result.stderr.split("\n").slice(-5).join("\n"));
            const plan = JSON.parse(fs.readFileSync(json, "utf8"));
            assert.equal(plan.policies.summary.mandatory, 0);
            assert.equal(plan.verification.summary.broken, 0);
            assert.ok(plan.verification.summary.hops > 20_000, `${plan.verification.summary.hops} hops`);
            const load = plan.resources.find((r: any) => r.type === "aws:sfn/stateMachine:StateMachine" && String(r.name).endsWith("-load"));
            const definition = JSON.parse(load.inputs.definition);
            const reader = definition.States.LoadDomains.ItemReader.Parameters;
            const list = plan.resources.find((r: any) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2" && r.inputs.bucket === reader.Bucket && r.inputs.key === reader.Key);
            assert.equal(JSON.parse(list.inputs.content).length, 300, "the Distributed Map reads every domain from its object");
            // The domains are not in the execution's data, whose states take at most 256 KiB
            // (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html), nor in the definition.
            assert.ok(Buffer.byteLength(load.inputs.definition) < 64 * 1024, `${Buffer.byteLength(load.inputs.definition)} bytes`);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
