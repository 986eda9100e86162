import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, runCli, tempDir } from "../helpers/run-cli";

const EXAMPLE = "examples/reduced-platform";

describe("the reduced-platform example (a team's program built from the exported pieces)", () => {
    let result: ReturnType<typeof runCli>;
    let doc: any;
    before(function () {
        if (!fs.existsSync(path.join(ROOT, "dist", "components", "index.js"))) {
            throw new Error("dist/ is missing: the example imports the built package; run `npm run build` (npm test does) first");
        }
        const file = path.join(tempDir(), "example.json");
        result = runCli("cli/plan.ts", ["--program", EXAMPLE, "--stack", "dev", "--json", file]);
        doc = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : undefined;
    });

    it("plans offline through --program with zero mandatory violations", () => {
        assert.equal(result.status, 0, result.stderr);
        assert.equal(doc.project, "reduced-lakehouse");
        assert.equal(doc.policies.summary.mandatory, 0, JSON.stringify(doc.policies.violations.filter((v: any) => v.level === "mandatory")));
    });

    it("builds its lake, catalog and Kinesis path from the blueprint's own components", () => {
        const types = new Set(doc.resources.map((r: any) => r.type));
        for (const type of ["lakehouse:kms:PlatformKeys", "lakehouse:network:PlatformVpc", "lakehouse:lake:DataLake", "lakehouse:catalog:GlueCatalog", "lakehouse:streaming:FirehoseDelivery"]) {
            assert.ok(types.has(type), type);
        }
        assert.ok(!types.has("lakehouse:platform:LakehousePlatform"));
        assert.ok(!types.has("aws:redshift/cluster:Cluster"));
        assert.equal(doc.outputs.streamName, "lakehouse-ingest-events");
    });
});
