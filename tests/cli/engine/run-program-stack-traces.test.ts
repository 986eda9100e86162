import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, runCli, tempDir } from "../../helpers/run-cli";

describe("the plan's program run, set up for speed", () => {
    it("runs the program with no frames kept, no source maps and the compile cache on, registrations and program errors unaffected", () => {
        const dir = tempDir();
        fs.cpSync(path.join(ROOT, "tests", "fixtures", "data-source-program", "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
        // What the program sees while it runs, exported as stack outputs.
        fs.writeFileSync(
            path.join(dir, "index.ts"),
            [
                'import * as aws from "@pulumi/aws";',
                "export const frameLimit = Error.stackTraceLimit;",
                "export const sourceMaps = process.sourceMapsEnabled;",
                'export const compileCache = require("node:module").getCompileCacheDir() ?? "none";',
                "export const packCompileCache = process.env.NODE_COMPILE_CACHE ?? \"none\";",
                'export const bucket = new aws.s3.Bucket("b", { tags: { team: "data" } }).bucket;',
                "",
            ].join("\n"),
        );
        const json = path.join(dir, "plan.json");
        const result = runCli("cli/plan.ts", ["--program", dir, "--stack", "ci", "--no-policies", "--json", json]);
        assert.equal(result.status, 0, result.stderr);
        const doc = JSON.parse(fs.readFileSync(json, "utf8"));
        assert.equal(doc.outputs.frameLimit, 0);
        assert.equal(doc.outputs.sourceMaps, false);
        assert.ok(fs.existsSync(doc.outputs.compileCache), `compile cache directory ${doc.outputs.compileCache}`);
        assert.ok(doc.outputs.compileCache.startsWith(doc.outputs.packCompileCache), "handed to the pack's process too");
        assert.deepEqual(
            doc.resources.filter((r: { custom: boolean; type: string }) => r.custom && !r.type.startsWith("pulumi:")).map((r: { inputs: { tags: unknown } }) => r.inputs.tags),
            [{ team: "data" }],
        );

        // A program error is still reported by its message.
        fs.writeFileSync(path.join(dir, "index.ts"), 'throw new Error("no frames needed for this message");\n');
        const failed = runCli("cli/plan.ts", ["--program", dir, "--stack", "ci", "--no-policies"]);
        assert.equal(failed.status, 1);
        assert.match(failed.stderr, /^error: no frames needed for this message$/m);
    });
});
