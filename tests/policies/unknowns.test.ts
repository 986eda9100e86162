/**
 * The pack under a preview's unknowns, through the analyzer protocol as the engine drives it:
 * values unknown until the update arrive as the engine's unknown sentinel. Each rule judges what
 * is known, names per resource what it could not judge, and never fails on an unknown.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { type PolicyDiagnostic, PolicyPackServer } from "../../cli/engine/policy-analyzer";
import { isNotJudgedMessage } from "../../policies/lib/unknowns";
import { type KitResource, recordedRun } from "./kit";

/** The engine's wire value of an unknown string (a computed output of a resource not yet created). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const KEY = "aws:kms/key:Key";

const named = (diagnostics: PolicyDiagnostic[], policy: string) => diagnostics.filter((d) => d.policy === policy).map((d) => ({ ...d, name: d.urn.split("::").pop() }));

// Bundled, as the offline plan starts it, and from its sources: a bundle once renamed the class
// the pack recognises an unknown value by, and every unknown then went unreported.
for (const launch of ["bundle", "tsx"] as const) describe(`the pack under unknowns (a preview), started as ${launch}`, () => {
    let server: PolicyPackServer;
    before(async () => {
        server = await PolicyPackServer.start(path.resolve(__dirname, "../../policies"), 60_000, launch);
    });
    after(() => server?.close());

    it("a stack rule reports a fully known bad bucket although another bucket's policy is unknown, and lists what it could not judge", async () => {
        await server.configure({ "s3-tls-only": { level: "mandatory", params: {} } });
        const resources: KitResource[] = [
            { type: BUCKET, name: "known-bad", props: { bucket: "known-bad" } },
            { type: BUCKET, name: "pending", props: { bucket: "pending" } },
            { type: BUCKET_POLICY, name: "pending-policy", props: { bucket: UNKNOWN, policy: UNKNOWN }, deps: { bucket: ["pending"] } },
        ];
        const run = recordedRun(resources);
        for (const r of run.resources) run.wire.state.set(r.urn, run.wire.inputs.get(r.urn)!);
        const tls = named(await server.evaluate(run), "s3-tls-only");
        const mandatory = tls.filter((d) => d.level === "mandatory");
        assert.deepEqual(
            mandatory.map((d) => d.name),
            ["known-bad"],
        );
        const waiting = tls.filter((d) => d.level === "advisory" && isNotJudgedMessage(d.message));
        assert.deepEqual(waiting.map((d) => d.name).sort(), ["pending", "pending-policy"]);
        assert.match(waiting.find((d) => d.name === "pending-policy")!.message, /^not judged: \.(bucket|policy) is unknown until the update/);
        assert.match(waiting.find((d) => d.name === "pending")!.message, /attached to pending-policy, whose \.(bucket|policy) is unknown/);
    });

    it("a resource rule that needs an unknown value says so at advisory, whatever the policy's level", async () => {
        await server.configure({ "kms-key-rotation": { level: "mandatory", params: {} } });
        const run = recordedRun([{ type: KEY, name: "spec-pending", props: { customerMasterKeySpec: UNKNOWN, enableKeyRotation: false } }]);
        const rotation = named(await server.evaluate(run), "kms-key-rotation");
        assert.deepEqual(
            rotation.map((d) => [d.level, d.message]),
            [["advisory", "not judged: .customerMasterKeySpec is unknown until the update; pulumi up judges it once the value is known"]],
        );
    });

    it("a state machine whose definition is unknown (built from ARNs not yet known) is not judged, never 'not valid JSON'", async () => {
        await server.configure({ "sfn-retry-and-catch": { level: "mandatory", params: {} }, "dep-state-machine-unique-state-names": { level: "mandatory", params: {} } });
        const run = recordedRun([{ type: "aws:sfn/stateMachine:StateMachine", name: "load", props: { name: "load", definition: UNKNOWN } }]);
        const diagnostics = (await server.evaluate(run)).filter((d) => d.policy === "sfn-retry-and-catch" || d.policy === "dep-state-machine-unique-state-names");
        assert.deepEqual(diagnostics.filter((d) => d.level === "mandatory"), []);
        const notJudged = "not judged: .definition is unknown until the update; pulumi up judges it once the value is known";
        assert.deepEqual(
            diagnostics.map((d) => [d.policy, d.level, d.message]).sort(),
            [
                ["dep-state-machine-unique-state-names", "advisory", notJudged],
                ["sfn-retry-and-catch", "advisory", notJudged],
            ],
        );
    });

    it("a remediate-level fix leaves unknown inputs it does not change alone, and applies", async () => {
        await server.configure({ "kms-key-rotation": { level: "remediate", params: {} } });
        const run = recordedRun([{ type: KEY, name: "policy-pending", props: { customerMasterKeySpec: "SYMMETRIC_DEFAULT", enableKeyRotation: false, policy: UNKNOWN } }]);
        const rotation = named(await server.evaluate(run, { remediate: true }), "kms-key-rotation");
        assert.deepEqual(
            rotation.map((d) => [d.level, d.name]),
            [["remediate", "policy-pending"]],
        );
    });

    it("a remediate-level policy whose fix needs an unknown value is not a mandatory failure", async () => {
        await server.configure({ "kms-key-rotation": { level: "remediate", params: {} } });
        const run = recordedRun([{ type: KEY, name: "spec-pending", props: { customerMasterKeySpec: UNKNOWN, enableKeyRotation: false } }]);
        const rotation = named(await server.evaluate(run, { remediate: true }), "kms-key-rotation");
        assert.equal(rotation.filter((d) => d.level === "mandatory").length, 0);
        assert.equal(rotation.length, 1);
        assert.ok(isNotJudgedMessage(rotation[0].message), rotation[0].message);
    });
});
