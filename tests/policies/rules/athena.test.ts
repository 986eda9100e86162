/**
 * The Athena policies under a preview's unknowns, through the analyzer protocol: a workgroup whose
 * results key or location is not known until the update is not judged (advisory), never failed.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { PolicyPackServer } from "../../../cli/engine/policy-analyzer";
import { isNotJudgedMessage } from "../../../policies/lib/unknowns";
import { type KitResource, recordedRun } from "../kit";

/** The engine's wire value of an unknown string (a computed output of a resource not yet created). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const WORKGROUP = "aws:athena/workgroup:Workgroup";

const workgroup = (name: string, resultConfiguration: Record<string, unknown>): KitResource => ({
    type: WORKGROUP,
    name,
    props: { name, configuration: { enforceWorkgroupConfiguration: true, bytesScannedCutoffPerQuery: 10_737_418_240, resultConfiguration } },
});

describe("Athena policies under unknowns (a preview)", () => {
    let server: PolicyPackServer;
    before(async () => {
        server = await PolicyPackServer.start(path.resolve(__dirname, "../../../policies"));
    });
    after(() => server?.close());

    it("judges a known workgroup and leaves one whose results key is unknown not judged, at advisory", async () => {
        await server.configure({ "athena-workgroup-results-cmk": { level: "mandatory", params: {} }, "athena-workgroup-bytes-cutoff": { level: "mandatory", params: {} } });
        const run = recordedRun([
            workgroup("pending", { outputLocation: "s3://b/p/", encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: UNKNOWN } }),
            workgroup("known-bad", { outputLocation: "s3://b/k/", encryptionConfiguration: { encryptionOption: "SSE_S3" } }),
        ]);
        const diagnostics = (await server.evaluate(run)).map((d) => ({ ...d, name: d.urn.split("::").pop() }));
        const cmk = diagnostics.filter((d) => d.policy === "athena-workgroup-results-cmk");
        assert.deepEqual(cmk.filter((d) => d.level === "mandatory").map((d) => d.name), ["known-bad"]);
        const pending = cmk.filter((d) => d.name === "pending");
        assert.equal(pending.length, 1);
        assert.equal(pending[0].level, "advisory");
        assert.ok(isNotJudgedMessage(pending[0].message), pending[0].message);
        // A value the cut-off policy does not read leaves it free to judge the workgroup.
        assert.deepEqual(diagnostics.filter((d) => d.policy === "athena-workgroup-bytes-cutoff"), []);
    });

    it("sets aside a workgroup whose results location is unknown, and still judges the others' results expiry", async () => {
        await server.configure({ "athena-results-expire": { level: "mandatory", params: {} } });
        const bucket: KitResource = { type: "aws:s3/bucket:Bucket", name: "results", props: { bucket: "results" } };
        const run = recordedRun([bucket, workgroup("pending", { outputLocation: UNKNOWN }), workgroup("known", { outputLocation: "s3://results/known/" })]);
        for (const r of run.resources) run.wire.state.set(r.urn, run.wire.inputs.get(r.urn)!);
        const diagnostics = (await server.evaluate(run)).filter((d) => d.policy === "athena-results-expire").map((d) => [d.urn.split("::").pop(), d.level, isNotJudgedMessage(d.message)]);
        assert.deepEqual(diagnostics.sort(), [
            ["known", "mandatory", false],
            ["pending", "advisory", true],
        ]);
    });
});
