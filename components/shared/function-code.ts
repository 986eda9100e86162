import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

/**
 * The code of a Lambda function written in TypeScript in this repository, as a deployable archive:
 * each module compiled to CommonJS next to the others, plus data files. Run from the built package
 * the modules are the `.js` files `npm run build` wrote; run from source (a Pulumi TypeScript
 * program) they are compiled here with the TypeScript compiler such a program already has. Nothing
 * is downloaded at deploy time, and the same source gives the same archive.
 */
export function functionArchive(directory: string, modules: string[], dataFiles: Record<string, string> = {}): pulumi.asset.AssetArchive {
    const assets: Record<string, pulumi.asset.Asset> = {};
    for (const module of modules) {
        const built = path.join(directory, `${module}.js`);
        assets[`${module}.js`] = fs.existsSync(built) ? new pulumi.asset.FileAsset(built) : new pulumi.asset.StringAsset(compile(path.join(directory, `${module}.ts`)));
    }
    for (const [name, content] of Object.entries(dataFiles)) assets[name] = new pulumi.asset.StringAsset(content);
    return new pulumi.asset.AssetArchive(assets);
}

/** How every handler module is compiled: as `tsc` would for the Node.js Lambda runtime. */
const COMPILER_OPTIONS = { module: "CommonJS", target: "ES2022", esModuleInterop: true, sourceMap: false } as const;

/**
 * Where compiled modules are kept between runs: `node_modules/.cache/lakehouse-function-code`
 * beside the TypeScript compiler, the folder build tools share by convention. `undefined` when the
 * compiler is not installed (then `compile` fails with Node's own message).
 */
export function defaultCompileCacheDirectory(): string | undefined {
    try {
        return path.join(path.dirname(path.dirname(require.resolve("typescript/package.json"))), ".cache", "lakehouse-function-code");
    } catch {
        return undefined;
    }
}

/**
 * One module compiled as `tsc` would for the Node.js Lambda runtime (CommonJS, ES2022).
 *
 * Loading the TypeScript compiler costs about half a second of every run of the program, so the
 * output is kept in `cacheDirectory`, keyed by a hash of the source, the compiler's version and
 * the options: a hit returns the very bytes the compiler gave (archives, hence functions, do not
 * change), and any change to one of the three compiles again. A cache that cannot be read or
 * written is skipped, never fatal; a module that does not compile is never cached.
 */
export function compile(file: string, cacheDirectory: string | undefined = defaultCompileCacheDirectory()): string {
    const source = fs.readFileSync(file, "utf8");
    const cached = cacheDirectory === undefined ? undefined : path.join(cacheDirectory, `${cacheKey(source)}.js`);
    if (cached !== undefined) {
        try {
            return fs.readFileSync(cached, "utf8");
        } catch {
            // A miss (or an unreadable cache): compile.
        }
    }
    const output = transpile(file, source);
    if (cached !== undefined) {
        try {
            fs.mkdirSync(path.dirname(cached), { recursive: true });
            // Written aside and renamed, so a concurrent run never reads half a module.
            const partial = `${cached}.${process.pid}.tmp`;
            fs.writeFileSync(partial, output);
            fs.renameSync(partial, cached);
        } catch {
            // A read-only install: the next run compiles again.
        }
    }
    return output;
}

let compilerVersion: string | undefined;

function cacheKey(source: string): string {
    compilerVersion ??= (JSON.parse(fs.readFileSync(require.resolve("typescript/package.json"), "utf8")) as { version: string }).version;
    return crypto.createHash("sha256").update(JSON.stringify({ compilerVersion, options: COMPILER_OPTIONS, source })).digest("hex");
}

function transpile(file: string, source: string): string {
    const ts: typeof import("typescript") = require("typescript");
    const result = ts.transpileModule(source, {
        fileName: file,
        reportDiagnostics: true,
        compilerOptions: {
            module: ts.ModuleKind[COMPILER_OPTIONS.module],
            target: ts.ScriptTarget[COMPILER_OPTIONS.target],
            esModuleInterop: COMPILER_OPTIONS.esModuleInterop,
            sourceMap: COMPILER_OPTIONS.sourceMap,
        },
    });
    const errors = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) throw new Error(`cannot compile ${file}: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("; ")}`);
    return result.outputText;
}
