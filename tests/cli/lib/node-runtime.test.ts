import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { callerPath, nodeOnPath, pathNodeProblem } from "../../../cli/lib/node-runtime";
import { ROOT, runCli, tempDir } from "../../helpers/run-cli";

const NPM_GYP = "/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin";

/** A directory holding a `node` that reports itself as `version` (POSIX shell). */
function fakeNode(version: string): string {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "node"), `#!/bin/sh\necho "${dir}/node ${version}"\n`, { mode: 0o755 });
    return dir;
}

describe("runtime parity: the node pulumi up would use", () => {
    it("takes the caller's PATH from what npm run hands the plan", () => {
        const npm = ["/repo/node_modules/.bin", "/node_modules/.bin", NPM_GYP, "/home/me/bin", "/usr/bin"].join(":");
        assert.equal(callerPath(npm, ":"), "/home/me/bin:/usr/bin");
        // Nested npm runs: the caller's PATH follows the last of npm's entries.
        assert.equal(callerPath(["/a/node_modules/.bin", NPM_GYP, "/b/node_modules/.bin", NPM_GYP, "/usr/bin"].join(":"), ":"), "/usr/bin");
        // Outside npm (tsx cli/plan.ts, or a PATH the caller set up with node_modules/.bin first) it is kept whole.
        assert.equal(callerPath("/repo/node_modules/.bin:/usr/bin", ":"), "/repo/node_modules/.bin:/usr/bin");
    });

    it("compares the version with engines.node by semver", () => {
        const range = ">=22.12.0";
        assert.equal(pathNodeProblem({ execPath: "/usr/local/bin/node", version: "v22.12.0" }, range, "v22.23.3"), undefined);
        assert.equal(pathNodeProblem({ execPath: "/usr/local/bin/node", version: "v24.1.0" }, range, "v22.23.3"), undefined);
        assert.equal(
            pathNodeProblem({ execPath: "/usr/bin/node", version: "v22.11.0" }, range, "v22.23.3"),
            'pulumi up would run the program on /usr/bin/node v22.11.0, the node on PATH, below engines.node >=22.12.0 (this plan ran on v22.23.3); run pulumi through npm (npm exec -c "pulumi up …") or put node_modules/.bin first on PATH; README "Node 22 for pulumi up"',
        );
        assert.match(pathNodeProblem({ execPath: "/usr/bin/node", version: "v20.20.2" }, range, "v22.23.3") ?? "", /below engines\.node >=22\.12\.0/);
        assert.match(pathNodeProblem(undefined, range, "v22.23.3") ?? "", /^pulumi up needs a node on PATH \(engines\.node >=22\.12\.0\) and there is none; /);
    });

    it("points to a README paragraph that says how to run pulumi on Node 22", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const paragraph = readme.split("\n\n").find((p) => p.startsWith("**Node 22 for pulumi up.**"));
        assert.ok(paragraph, "the warning names this paragraph");
        assert.match(paragraph, /npm exec -c 'pulumi up /);
        assert.match(paragraph, /node_modules\/\.bin/);
    });

    it("finds the node a PATH leads to, or none", async function () {
        if (process.platform === "win32") this.skip();
        const dir = fakeNode("v20.1.0");
        assert.deepEqual(await nodeOnPath(`${dir}:/usr/bin`), { execPath: `${dir}/node`, version: "v20.1.0" });
        assert.equal(await nodeOnPath(tempDir()), undefined);
    });

    it("warns in one stderr line of a finished plan when the caller's node is below engines.node", function () {
        if (process.platform === "win32") this.skip();
        const old = fakeNode("v20.20.2");
        // As npm run builds it: the project's bins (its Node 22 runs the plan), npm's node-gyp-bin, then the caller's PATH.
        const PATH = [path.join(ROOT, "node_modules", ".bin"), NPM_GYP, old, callerPath(process.env.PATH ?? "")].join(path.delimiter);
        const result = runCli("cli/plan.ts", ["--stack", "dev", "--no-policies"], { PATH });
        assert.equal(result.status, 0, result.stderr);
        const warnings = result.stderr.split("\n").filter((l) => l.startsWith("warning: pulumi up"));
        const range = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).engines.node;
        assert.equal(warnings.length, 1, result.stderr);
        assert.ok(
            warnings[0].startsWith(`warning: pulumi up would run the program on ${old}/node v20.20.2, the node on PATH, below engines.node ${range} (this plan ran on v22.`),
            warnings[0],
        );
    });
});
