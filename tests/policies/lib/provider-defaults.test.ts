import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { effective, PROVIDER_DEFAULTS } from "../../../policies/lib/provider-defaults";

const AWS = path.dirname(require.resolve("@pulumi/aws/package.json"));

/** The TSDoc of a property in an interface of the installed @pulumi/aws typings, whitespace folded. */
function typingsDoc(file: string, iface: string, property: string): string | undefined {
    const text = fs.readFileSync(path.join(AWS, file), "utf8");
    // Resource args are top-level interfaces; nested input types sit in a namespace, indented.
    const topLevel = text.indexOf(`\nexport interface ${iface} {`);
    const start = topLevel >= 0 ? topLevel : text.search(new RegExp(`\\n {4}interface ${iface} \\{`));
    if (start < 0) return undefined;
    const end = text.indexOf(topLevel >= 0 ? "\n}\n" : "\n    }\n", start + 1);
    const body = text.slice(start, end < 0 ? undefined : end);
    const match = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*(?:readonly )?${property}\\??:`).exec(body);
    return match?.[1].replace(/\s*\*\s*/g, " ").replace(/\s+/g, " ").trim();
}

describe("the provider defaults the pack judges omitted properties by", () => {
    for (const entry of PROVIDER_DEFAULTS) {
        it(`${entry.type.split(":").pop()} ${entry.property}: ${JSON.stringify(entry.value)}${entry.documented ? "" : " (AWS default, undocumented by the provider)"}`, () => {
            const doc = typingsDoc(entry.typings.file, entry.typings.iface, entry.typings.property);
            assert.ok(doc !== undefined, `no TSDoc for ${entry.typings.iface}.${entry.typings.property} in ${entry.typings.file}`);
            if (entry.documented) {
                assert.ok(doc.includes(entry.documented), `the installed @pulumi/aws documents: "${doc}"`);
            } else {
                assert.doesNotMatch(doc, /\bdefaults? (is|to|value)\b/i, "the provider now documents a default: move it into the table");
                assert.ok(entry.awsSource, "an undocumented default cites AWS's API reference");
            }
        });
    }

    it("judges an omitted (or null) property by its default, a set one by its value", () => {
        assert.equal(effective("aws:redshift/cluster:Cluster", {}, "publiclyAccessible"), false);
        assert.equal(effective("aws:redshift/cluster:Cluster", { publiclyAccessible: null }, "publiclyAccessible"), false);
        assert.equal(effective("aws:redshift/cluster:Cluster", { publiclyAccessible: true }, "publiclyAccessible"), true);
        assert.equal(effective("aws:msk/cluster:Cluster", { encryptionInfo: {} }, "encryptionInfo.encryptionInTransit.clientBroker"), "TLS");
        assert.equal(effective("aws:msk/cluster:Cluster", {}, "no.such.property"), undefined);
    });
});
