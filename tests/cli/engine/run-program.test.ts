import { allRecorded } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** A component whose child was a top-level component named `old-<name>` before. */
class Outer extends pulumi.ComponentResource {
    constructor(name: string) {
        super("test:index:Outer", name, {});
        new Inner(`${name}-inner`, { parent: this, aliases: [{ name: `old-${name}-inner`, parent: pulumi.rootStackResource }] });
    }
}

class Inner extends pulumi.ComponentResource {
    constructor(name: string, opts: pulumi.ComponentResourceOptions) {
        super("test:index:Inner", name, {}, opts);
        new aws.s3.Bucket(
            `${name}-bucket`,
            {},
            {
                parent: this,
                ignoreChanges: ["tags"],
                replaceOnChanges: ["bucket"],
                deleteBeforeReplace: true,
                additionalSecretOutputs: ["arn"],
                customTimeouts: { create: "30m", delete: "1h" },
            },
        );
    }
}

describe("the recording engine", () => {
    let recorded: Awaited<ReturnType<typeof allRecorded>>;
    before(async () => {
        new Outer("aliased");
        recorded = await allRecorded();
    });
    const find = (name: string) => recorded.find((r) => r.name === name)!;

    it("writes URNs as the engine does: the parent's whole type chain, and no type for the root stack", () => {
        assert.equal(find("aliased").urn, "urn:pulumi:test::lakehouse::test:index:Outer::aliased");
        assert.equal(find("aliased-inner-bucket").urn, "urn:pulumi:test::lakehouse::test:index:Outer$test:index:Inner$aws:s3/bucket:Bucket::aliased-inner-bucket");
    });

    it("resolves an alias spec to the earlier URN, and gives children the aliases inherited from it", () => {
        assert.deepEqual(find("aliased-inner").aliases, ["urn:pulumi:test::lakehouse::test:index:Inner::old-aliased-inner"]);
        // The child's name started with its parent's, so the parent's old name is swapped in.
        assert.ok(find("aliased-inner-bucket").aliases.includes("urn:pulumi:test::lakehouse::test:index:Inner$aws:s3/bucket:Bucket::old-aliased-inner-bucket"));
        assert.deepEqual(find("aliased").aliases, []);
    });

    it("records the resource options that change how the engine updates or deletes a resource", () => {
        assert.deepEqual(find("aliased-inner-bucket").options, {
            ignoreChanges: ["tags"],
            replaceOnChanges: ["bucket"],
            deleteBeforeReplace: true,
            additionalSecretOutputs: ["arn"],
            customTimeouts: { create: "30m", delete: "1h" },
        });
        assert.deepEqual(find("aliased").options, {});
    });
});
