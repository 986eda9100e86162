import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseStackConfig, readStackFile } from "../../config/loader";
import { ROOT, runCli, tempDir } from "../helpers/run-cli";

const EXAMPLE = "examples/reduced-platform";
const STACK = "ingest";

describe("the reduced-platform example (another team's program deploying the package's platform)", () => {
    let result: ReturnType<typeof runCli>;
    let doc: any;
    before(function () {
        this.timeout(120_000);
        if (!fs.existsSync(path.join(ROOT, "dist", "components", "index.js"))) {
            throw new Error("dist/ is missing: the example imports the built package; run `npm run build` (npm test does) first");
        }
        const file = path.join(tempDir(), "example.json");
        // Judged with the policy levels the package ships (policies/config is in its files).
        result = runCli("cli/plan.ts", ["--program", EXAMPLE, "--stack", STACK, "--policy-config", "policies/config/dev.json", "--json", file]);
        doc = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined;
    });

    it("asks for a reduced platform the blueprint's config validation accepts: one Kinesis domain, Serverless warehouse, no MSK, no NAT", () => {
        const config = parseStackConfig(readStackFile(path.join(ROOT, EXAMPLE, `Pulumi.${STACK}.yaml`)));
        assert.equal(config.environment, STACK);
        assert.deepEqual(
            config.domains.map((d) => [d.name, d.transport]),
            [["events", "kinesis"]],
        );
        assert.equal(config.streaming.msk.mode, "none");
        assert.equal(config.warehouse.mode, "serverless");
        assert.equal(config.network.natStrategy, "none");
    });

    it("plans offline through --program with zero mandatory violations", () => {
        assert.equal(result.status, 0, result.stderr);
        assert.equal(doc.project, "reduced-lakehouse");
        assert.equal(doc.stack, STACK);
        assert.equal(doc.policies.summary.mandatory, 0, JSON.stringify(doc.policies.violations.filter((v: any) => v.level === "mandatory")));
    });

    it("verifies with no broken hop: the domain's events reach the warehouse through the raw and curated zones", () => {
        const hops: any[] = doc.verification.hops;
        assert.equal(doc.verification.summary.broken, 0, JSON.stringify(hops.filter((h) => !["allowed", "reachable", "ok", "connected", "verified"].includes(h.verdict))));
        assert.ok(doc.verification.summary.verified > 0);
        const domainPath = hops.find((h) => h.requirement === "lineage.domain-path" && h.domain === "events");
        assert.ok(domainPath, "the verifier judged the events domain's path to the warehouse");
        assert.equal(domainPath.verdict, "connected");
    });

    it("deploys the package's platform: the stream, Spark job, load pipeline and Serverless workgroup, and nothing of MSK or a cluster", () => {
        const types = new Set(doc.resources.map((r: any) => r.type));
        for (const type of [
            "lakehouse:platform:LakehousePlatform",
            "aws:kinesis/stream:Stream",
            "aws:glue/job:Job",
            "aws:sfn/stateMachine:StateMachine",
            "aws:redshiftserverless/workgroup:Workgroup",
        ]) {
            assert.ok(types.has(type), type);
        }
        for (const type of types as Set<string>) {
            assert.ok(!/^aws:(msk|redshift\/cluster|ec2\/natGateway)/.test(type), type);
        }
        assert.equal(doc.outputs.streams.kinesisStreams.events.name, "lakehouse-ingest-events");
        assert.equal(doc.outputs.warehouseEndpoint.mode, "serverless");
    });
});
