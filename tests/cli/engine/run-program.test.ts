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

/** A component whose `transforms` tag and protect every bucket inside it. */
class Tagged extends pulumi.ComponentResource {
    constructor(name: string) {
        super("test:index:Tagged", name, {}, {
            transforms: [
                (args) =>
                    args.type === "aws:s3/bucket:Bucket"
                        ? { props: { ...args.props, tags: { ...(args.props.tags ?? {}), "tagged-by": "component" } }, opts: { ...args.opts, protect: true } }
                        : undefined,
            ],
        });
        const inner = new pulumi.ComponentResource("test:index:Group", `${name}-group`, {}, { parent: this });
        new aws.s3.Bucket(`${name}-bucket`, { tags: { own: "yes" } }, { parent: inner });
    }
}

describe("the recording engine", () => {
    let recorded: Awaited<ReturnType<typeof allRecorded>>;
    before(async () => {
        new Outer("aliased");
        // A stack transform: it applies to resources registered after it, here only to its own.
        pulumi.runtime.registerResourceTransform((args) =>
            args.name.startsWith("stack-transformed") ? { props: { ...args.props, forceDestroy: false }, opts: { ...args.opts, ignoreChanges: ["tags"] } } : undefined,
        );
        new Tagged("transformed");
        new aws.s3.Bucket("stack-transformed-bucket", {});
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

    it("applies a component's transforms to its descendants, and stack transforms to later resources, as the engine would", () => {
        const tagged = find("transformed-bucket");
        assert.deepEqual(tagged.inputs.tags, { own: "yes", "tagged-by": "component" });
        assert.equal(tagged.protect, true);
        const stackTransformed = find("stack-transformed-bucket");
        assert.equal(stackTransformed.inputs.forceDestroy, false);
        assert.deepEqual(stackTransformed.options.ignoreChanges, ["tags"]);
        assert.equal(find("aliased-inner-bucket").inputs.forceDestroy, undefined);
    });
});
