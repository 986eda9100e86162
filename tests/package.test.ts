import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as semver from "semver";

const ROOT = path.resolve(__dirname, "..");
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const installed = (name: string): string => JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version;

describe("runtime", () => {
    it("runs on the Node.js LTS line the package declares (22), whatever the system Node is", () => {
        assert.ok(semver.satisfies(process.versions.node, manifest.engines.node), `Node ${process.versions.node} does not satisfy ${manifest.engines.node}`);
        assert.equal(semver.major(process.versions.node), 22);
        assert.equal(semver.major(installed("node")), 22, "the node devDependency provides Node 22 to every npm script");
        assert.ok(semver.satisfies(installed("node"), manifest.engines.node));
    });

    it("uses a Pulumi SDK of 3.270 or later, which needs Node 22", () => {
        assert.ok(semver.gte(installed("@pulumi/pulumi"), "3.270.0"), installed("@pulumi/pulumi"));
        assert.equal(semver.major(installed("@pulumi/aws")), 7);
    });
});
