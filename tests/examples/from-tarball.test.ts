import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXAMPLE_STACK, installedVersion, planAndVerify } from "../../examples/reduced-platform/from-tarball";
import { ROOT, tempDir } from "../helpers/run-cli";

const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

/**
 * `npm run example:tarball` (with --no-build: npm test builds dist/ before the tests): the example
 * planned and verified from the package installed out of its `npm pack` tarball in a scratch folder.
 */
describe("the reduced-platform example installed from npm pack output (npm run example:tarball)", function () {
    this.timeout(600_000);
    let folder: string;
    let result: { status: number | null; stdout: string; stderr: string };
    before(() => {
        if (!fs.existsSync(path.join(ROOT, "dist", "components", "index.js"))) {
            throw new Error("dist/ is missing: the package ships the built files; run `npm run build` (npm test does) first");
        }
        folder = path.join(tempDir(), "reduced-lakehouse");
        result = spawnSync(TSX, ["examples/reduced-platform/from-tarball.ts", "--no-build", "--dir", folder], { cwd: ROOT, encoding: "utf8", timeout: 540_000 });
    });

    it("plans the example with no mandatory violation and verifies it with no broken hop", () => {
        assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
        const plan = JSON.parse(fs.readFileSync(path.join(folder, "plan.json"), "utf8"));
        assert.equal(plan.project, "reduced-lakehouse");
        assert.equal(plan.stack, EXAMPLE_STACK);
        assert.equal(plan.policies.summary.mandatory, 0);
        assert.equal(plan.verification.summary.broken, 0);
        assert.ok(plan.resources.some((r: { type: string }) => r.type === "aws:redshiftserverless/workgroup:Workgroup"));
        // Once from the plan's report, once from npm run verify -- --plan.
        assert.equal(result.stdout.match(/Verification: \d+ hops, \d+ verified, 0 broken/g)?.length, 2, result.stdout);
    });

    it("ran the example's own files against the package installed from the tarball, not this repository", () => {
        for (const file of ["index.ts", "Pulumi.yaml", `Pulumi.${EXAMPLE_STACK}.yaml`]) {
            assert.equal(fs.readFileSync(path.join(folder, file), "utf8"), fs.readFileSync(path.join(ROOT, "examples", "reduced-platform", file), "utf8"), file);
        }
        const installed = path.join(folder, "node_modules", "lakehouse-blueprint");
        assert.ok(!fs.lstatSync(installed).isSymbolicLink(), "installed from the tarball, not linked");
        const manifest = JSON.parse(fs.readFileSync(path.join(folder, "package.json"), "utf8"));
        assert.match(manifest.dependencies["lakehouse-blueprint"], /^file:lakehouse-blueprint-[\d.]+\.tgz$/);
        for (const peer of ["@pulumi/pulumi", "@pulumi/aws"]) {
            const version = JSON.parse(fs.readFileSync(path.join(folder, "node_modules", peer, "package.json"), "utf8")).version;
            assert.equal(version, installedVersion(peer), peer);
        }
        // Resolved as the program there resolves it (from this file, Node's self-reference would
        // answer with this repository's dist/).
        const resolved = spawnSync(process.execPath, ["-p", 'require.resolve("lakehouse-blueprint/components")'], { cwd: folder, encoding: "utf8" }).stdout.trim();
        assert.equal(fs.realpathSync(resolved), fs.realpathSync(path.join(installed, "dist", "components", "index.js")));
    });

    it("fails when the plan does: a budget below the estimate is a mandatory violation (exit 2)", () => {
        const stackFile = path.join(folder, `Pulumi.${EXAMPLE_STACK}.yaml`);
        const original = fs.readFileSync(stackFile, "utf8");
        assert.match(original, /monthlyBudgetUsd: \d+/);
        fs.writeFileSync(stackFile, original.replace(/monthlyBudgetUsd: \d+/, "monthlyBudgetUsd: 10"));
        try {
            assert.equal(planAndVerify(folder, "pipe"), 2);
        } finally {
            fs.writeFileSync(stackFile, original);
        }
    });
});
