import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { QUOTAS, type QuotaResource } from "../../../lib/quotas";
import { quotaSection, renderQuotaSummary } from "../../../cli/report/quota-section";
import type { RecordedResource } from "../../../cli/engine/run-program";
import { planJson, runCli, tempDir } from "../../helpers/run-cli";

const recorded = (r: QuotaResource): RecordedResource => ({
    urn: `urn:pulumi:dev::lakehouse::${r.type}::${r.name}`,
    custom: true,
    parent: null,
    provider: null,
    id: r.name,
    outputs: {},
    protect: false,
    retainOnDelete: false,
    dependencies: [],
    propertyDependencies: {},
    aliases: [],
    options: {},
    ...r,
});

/** dev's stack file, with the given lines appended under config:. */
function devWith(extra: string): string {
    const file = path.join(tempDir(), "Pulumi.dev.yaml");
    fs.writeFileSync(file, `${fs.readFileSync(path.resolve(__dirname, "../../../stacks/Pulumi.dev.yaml"), "utf8").trimEnd()}\n${extra}`);
    return file;
}

describe("the plan's quota section", () => {
    it("renders usage against each limit, marks an exceeded quota and says why a count is missing", () => {
        const resources = [
            ...Array.from({ length: 3 }, (_, i) => recorded({ type: "aws:glue/job:Job", name: `job${i}`, inputs: {} })),
            recorded({ type: "aws:ec2/vpcEndpoint:VpcEndpoint", name: "glue", inputs: { vpcId: "[unknown]", vpcEndpointType: "Interface" } }),
        ];
        const section = quotaSection(resources, "us-east-1", { "glue-jobs": 2 });
        assert.equal(section.lines.length, QUOTAS.length);
        assert.equal(section.refusals.length, 1);
        const text = renderQuotaSummary(section);
        assert.match(text, /Service quotas \(us-east-1\): 19 checked, 1 exceeded/);
        assert.match(text, /glue-jobs EXCEEDED\s+│ 3\s+│ 2 \(declared\)/);
        assert.match(text, /vpc-interface-endpoints\s+│ not known in\s/);
        assert.ok(text.split("\n").every((l) => l.length <= 100), "fits the report width");
    });

    it("every shipped stack is within its quotas, and its plan JSON carries the quota section", () => {
        for (const stack of ["dev", "staging", "prod"]) {
            const { doc, stdout, stderr } = planJson(stack);
            assert.ok(doc.quotas, `${stack} has a quota section`);
            assert.deepEqual(doc.quotas.refusals, [], `${stack}: ${doc.quotas.refusals.join("; ")}`);
            assert.deepEqual(doc.quotas.lines.map((l) => l.id), QUOTAS.map((q) => q.id));
            assert.ok(doc.quotas.lines.every((l) => !l.exceeded));
            assert.match(stdout, /Service quotas \(/);
            assert.doesNotMatch(stderr, /error: quota/);
            const glueJobs = doc.quotas.lines.find((l) => l.id === "glue-jobs");
            assert.equal(glueJobs?.used, doc.resources.filter((r) => r.type === "aws:glue/job:Job").length);
        }
    });

    it("refuses a stack that needs more than the quota it declares: exit 1, one line per quota naming it, the usage, the limit and how to declare a raised one", () => {
        const file = devWith("  lakehouse:quotas:\n    firehose-delivery-streams: 1\n    glue-jobs: 1\n");
        const result = runCli("cli/plan.ts", ["--config-file", file, "--no-policies"]);
        assert.equal(result.status, 1, result.stderr);
        const errors = result.stderr.split("\n").filter((l) => l.startsWith("error:"));
        assert.equal(errors.length, 2, result.stderr);
        assert.match(errors[0], /^error: quota firehose-delivery-streams \(Delivery streams per Region, account per Region\): the stack needs 2 but its declared limit is 1; once the account's quota is raised, declare it as lakehouse:quotas: \{ firehose-delivery-streams: <value> \} in the stack file$/);
        assert.match(errors[1], /^error: quota glue-jobs .*needs 2 but its declared limit is 1/);
        assert.match(result.stdout, /firehose-delivery-streams EXCEEDED/);
    });

    it("refuses an unknown quota id before anything runs, naming the key and listing the allowed ids", () => {
        const file = devWith("  lakehouse:quotas:\n    glue-jobz: 10\n");
        const result = runCli("cli/plan.ts", ["--config-file", file, "--no-policies"]);
        assert.equal(result.status, 1);
        const lines = result.stderr.trim().split("\n");
        assert.equal(lines.length, 1, result.stderr);
        assert.match(lines[0], /^error: .*Pulumi\.dev\.yaml: lakehouse:quotas\.glue-jobz: got 10; unknown quota id; expected one of firehose-delivery-streams, firehose-active-partitions, .*dynamodb-tables$/);
        assert.equal(result.stdout, "");
    });

    it("in a preview, a count that needs ids AWS computes is 'not known in preview', never 0", () => {
        const { doc } = planJson("dev", ["--preview", "--no-policies"]);
        const line = (id: string) => doc.quotas?.lines.find((l) => l.id === id);
        assert.equal(line("vpc-interface-endpoints")?.used, "not known in preview");
        assert.equal(line("vpc-rules-per-security-group")?.used, "not known in preview");
        assert.equal(typeof line("glue-jobs")?.used, "number");
    });
});
