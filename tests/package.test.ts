import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { installFromTarball, packBlueprint } from "../examples/reduced-platform/from-tarball";
import { ROOT, runCli, tempDir } from "./helpers/run-cli";

/** Another team's program that deploys the whole platform from the installed package. */
const PROGRAM = [
    "import * as aws from \"@pulumi/aws\";",
    "import { namePrefix, platform } from \"lakehouse-blueprint/components\";",
    "import { loadPlatformConfig } from \"lakehouse-blueprint/config\";",
    "",
    "const config = loadPlatformConfig();",
    'const provider = new aws.Provider("aws-" + config.environment, platform.platformProviderArgs(config));',
    "const lakehouse = new platform.LakehousePlatform(namePrefix(config.environment), { config, provider });",
    "",
    "export const environment = lakehouse.outputs.environment;",
    "export const costEstimate = lakehouse.costEstimate;",
].join("\n");
const PROJECT = [
    "name: lakehouse",
    "description: The platform deployed from the lakehouse-blueprint package as installed from its tarball.",
    "runtime:",
    "  name: nodejs",
    "  options:",
    "    typescript: true",
    "main: index.ts",
].join("\n");

/**
 * The package as another team gets it: `npm pack` output installed with npm into a program of its
 * own (with the peer dependencies at this repository's versions), then planned and verified.
 * Nothing resolves to this repository's sources: the program sees only what the tarball holds.
 */
describe("the package installed from npm pack output", function () {
    this.timeout(600_000);
    let program: string;
    let tarball: string;
    before(() => {
        if (!fs.existsSync(path.join(ROOT, "dist", "components", "index.js"))) {
            throw new Error("dist/ is missing: the package ships the built files; run `npm run build` (npm test does) first");
        }
        const dir = tempDir();
        // dist/ is built by npm test before the tests run; the pack takes it as is. The steps are
        // the ones `npm run example:tarball` takes for the reduced example.
        tarball = packBlueprint(dir);
        program = path.join(dir, "program");
        fs.mkdirSync(program);
        // Written here rather than kept as a fixture: the repository's own build would type-check
        // its package imports before dist/ exists.
        fs.writeFileSync(path.join(program, "index.ts"), PROGRAM);
        fs.writeFileSync(path.join(program, "Pulumi.yaml"), PROJECT);
        fs.copyFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), path.join(program, "Pulumi.dev.yaml"));
        installFromTarball(program, tarball, "packaged-platform");
    });

    it("is not private and names @pulumi/pulumi and @pulumi/aws as peers, not dependencies, nor @pulumi/awsx at all", () => {
        const installed = JSON.parse(fs.readFileSync(path.join(program, "node_modules", "lakehouse-blueprint", "package.json"), "utf8"));
        assert.equal(installed.private, undefined);
        assert.deepEqual(Object.keys(installed.peerDependencies).sort(), ["@pulumi/aws", "@pulumi/pulumi"]);
        for (const name of ["@pulumi/aws", "@pulumi/pulumi", "@pulumi/awsx"]) assert.equal(installed.dependencies[name], undefined, name);
        assert.ok(!fs.existsSync(path.join(program, "node_modules", "lakehouse-blueprint", "node_modules", "@pulumi", "pulumi")), "no nested @pulumi/pulumi");
        assert.ok(fs.existsSync(path.join(program, "node_modules", "lakehouse-blueprint", "CHANGELOG.md")));
    });

    it("plans the whole platform from the installed package, with no dynamic provider to serialize, and verifies it with no broken hop", () => {
        const file = path.join(path.dirname(program), "plan.json");
        const plan = runCli("cli/plan.ts", ["--program", program, "--stack", "dev", "--region", "us-east-1", "--json", file]);
        assert.equal(plan.status, 0, plan.stderr);
        const doc = JSON.parse(fs.readFileSync(file, "utf8"));
        assert.equal(doc.policies.summary.mandatory, 0);
        assert.ok(doc.resources.some((r: { type: string }) => r.type === "lakehouse:platform:LakehousePlatform"));
        assert.ok(!doc.resources.some((r: { type: string }) => r.type.startsWith("pulumi-nodejs:dynamic")));
        assert.ok(doc.resources.some((r: { type: string; name: string }) => r.type === "aws:lambda/invocation:Invocation" && r.name.endsWith("-no-iam-allowed-principals")));
        assert.equal(doc.verification.summary.broken, 0, JSON.stringify(doc.verification.hops.filter((h: { verdict: string }) => !["allowed", "reachable", "ok"].includes(h.verdict))));
    });
});
