import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const COMPONENTS = path.resolve(__dirname, "../../components");

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return sourceFiles(full);
        return entry.name.endsWith(".ts") ? [full] : [];
    });
}

/** Every property of every exported interface in components/, with its TSDoc (if any). */
function documentedProperties(): { where: string; iface: string; optional: boolean; doc: string | undefined }[] {
    const out: { where: string; iface: string; optional: boolean; doc: string | undefined }[] = [];
    for (const file of sourceFiles(COMPONENTS)) {
        const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
        for (const statement of source.statements) {
            if (!ts.isInterfaceDeclaration(statement) || !statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
            for (const member of statement.members) {
                if (!ts.isPropertySignature(member)) continue;
                const docs = ts.getJSDocCommentsAndTags(member).map((d) => d.getText()).join("\n");
                out.push({
                    where: `${path.relative(COMPONENTS, file)}: ${statement.name.text}.${member.name.getText()}`,
                    iface: statement.name.text,
                    optional: member.questionToken !== undefined,
                    doc: docs || undefined,
                });
            }
        }
    }
    return out;
}

describe("component arguments are documented", () => {
    const properties = documentedProperties();

    it("finds the components' interfaces", () => {
        assert.ok(properties.filter((p) => p.iface.endsWith("Args")).length > 150);
    });

    it("every field of every exported interface has TSDoc", () => {
        const missing = properties.filter((p) => !p.doc).map((p) => p.where);
        assert.deepEqual(missing, []);
    });

    it("every optional field of an Args interface states its @default", () => {
        const missing = properties.filter((p) => p.iface.endsWith("Args") && p.optional && !/@default\b/.test(p.doc ?? "")).map((p) => p.where);
        assert.deepEqual(missing, []);
    });
});
