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

/** One module compiled as `tsc` would for the Node.js Lambda runtime (CommonJS, ES2022). */
export function compile(file: string): string {
    const ts: typeof import("typescript") = require("typescript");
    const result = ts.transpileModule(fs.readFileSync(file, "utf8"), {
        fileName: file,
        reportDiagnostics: true,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false },
    });
    const errors = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) throw new Error(`cannot compile ${file}: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("; ")}`);
    return result.outputText;
}
