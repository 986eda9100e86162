import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnPack } from "../../../cli/engine/pack-process";

/** A folder whose index.ts does what a test needs of a pack's entry point. */
function fakePack(source: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pack-"));
    fs.writeFileSync(path.join(dir, "index.ts"), source);
    return dir;
}

const CLI = path.resolve(__dirname, "../../../cli");

describe("the policy pack's process", () => {
    it("resolves the port the pack prints, runs it in its folder, and stops it", async () => {
        // Prints its folder as the 'port', then stays up as a pack does.
        const dir = fakePack('const folder: string = process.cwd();\nconsole.log(folder);\nsetInterval(() => undefined, 1000);\n');
        const pack = spawnPack(dir);
        try {
            assert.equal(fs.realpathSync(await pack.port), fs.realpathSync(dir));
        } finally {
            pack.stop();
            pack.stop();
        }
        await new Promise((resolve) => pack.child.once("exit", resolve));
        assert.ok(pack.child.signalCode === "SIGTERM" || pack.child.exitCode !== null);
    });

    it("runs the pack without source maps, which tsx would turn on", async () => {
        const dir = fakePack("console.log(String(process.sourceMapsEnabled));\n");
        const pack = spawnPack(dir, { launch: "tsx" });
        try {
            assert.equal(await pack.port, "false");
        } finally {
            pack.stop();
        }
    });

    it("names the exit code and the pack's last stderr line when it dies before printing a port", async () => {
        const dir = fakePack('console.error("cannot load the pack: boom");\nprocess.exit(3);\n');
        await assert.rejects(spawnPack(dir).port, /policy pack .*fake-pack-.* exited with code 3: cannot load the pack: boom/);
    });

    it("gives up on a pack that does not start in time, and stops it", async () => {
        const dir = fakePack("setInterval(() => undefined, 1000);\n");
        const pack = spawnPack(dir, { timeoutMs: 300 });
        await assert.rejects(pack.port, /did not start within 0\.3 s/);
        await new Promise((resolve) => (pack.child.exitCode !== null || pack.child.signalCode !== null ? resolve(undefined) : pack.child.once("exit", resolve)));
    });

    it("is started by the plan's entry point before it loads anything heavier than its arguments", () => {
        // The pack's start-up overlaps the plan's own only if nothing before it loads the SDK.
        const importsOf = (file: string) =>
            [...fs.readFileSync(file, "utf8").matchAll(/^import (type )?(?:[^"]*? from )?"([^"]+)";$/gm)].filter((m) => m[1] === undefined).map((m) => m[2]);
        assert.deepEqual(importsOf(path.join(CLI, "plan.ts")), ["./lib/compile-cache", "node:path", "commander", "./lib/args", "./lib/exit", "./engine/pack-process"]);
        assert.deepEqual(
            importsOf(path.join(CLI, "engine", "pack-process.ts")).filter((id) => !id.startsWith("node:")),
            ["./pack-bundle"],
            "the pack's launcher loads only Node's own modules and its bundle cache",
        );
        for (const light of ["lib/args.ts", "lib/exit.ts", "lib/compile-cache.ts", "engine/pack-bundle.ts"]) {
            const imports = importsOf(path.join(CLI, light));
            assert.ok(imports.every((id) => id.startsWith("node:")), `${light} imports ${imports.join(", ")}`);
        }
    });
});
