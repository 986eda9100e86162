import { ofType, policyOf, resourcesUnder, testAccount } from "../../helpers/mock-session";
import * as assert from "node:assert/strict";
import { PlatformKeys } from "../../../components/kms";

describe("PlatformKeys", () => {
    const build = (name: string, protect: boolean) =>
        new PlatformKeys(name, {
            namePrefix: name,
            account: testAccount,
            deletionWindowDays: protect ? 30 : 7,
            protection: { protect, removeDataOnDestroy: !protect },
        });

    it("creates one rotated key with an alias per concern", async () => {
        const resources = await resourcesUnder(build("keys-a", false));
        const keys = ofType(resources, "aws:kms/key:Key");
        assert.deepEqual(keys.map((k) => k.name).sort(), ["keys-a-lake", "keys-a-operations", "keys-a-query", "keys-a-streaming", "keys-a-warehouse"]);
        for (const key of keys) {
            assert.equal(key.inputs.enableKeyRotation, true);
            assert.equal(key.inputs.deletionWindowInDays, 7);
        }
        const aliases = ofType(resources, "aws:kms/alias:Alias").map((a) => a.inputs.name).sort();
        assert.deepEqual(aliases, ["alias/keys-a-lake", "alias/keys-a-operations", "alias/keys-a-query", "alias/keys-a-streaming", "alias/keys-a-warehouse"]);
    });

    it("never grants an unconditioned principal", async () => {
        const resources = await resourcesUnder(build("keys-b", false));
        for (const key of ofType(resources, "aws:kms/key:Key")) {
            for (const statement of policyOf(key).Statement) {
                assert.notEqual(statement.Principal, "*");
                if (statement.Principal.Service) assert.ok(statement.Condition, `${key.name}: ${statement.Sid} has no condition`);
                if (statement.Principal.AWS) assert.equal(statement.Principal.AWS, "arn:aws:iam::123456789012:root");
            }
        }
    });

    it("lets CloudWatch Logs use the operations key for this account's log groups only", async () => {
        const resources = await resourcesUnder(build("keys-c", false));
        const ops = resources.find((r) => r.name === "keys-c-operations")!;
        const logs = policyOf(ops).Statement.find((s) => s.Principal.Service === "logs.eu-west-1.amazonaws.com");
        assert.equal(
            logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"],
            "arn:aws:logs:eu-west-1:123456789012:log-group:*",
        );
        const lake = resources.find((r) => r.name === "keys-c-lake")!;
        const delivery = policyOf(lake).Statement.find((s) => s.Principal.Service === "logging.s3.amazonaws.com");
        assert.equal(delivery.Condition.StringEquals["aws:SourceAccount"], "123456789012");
    });

    it("protects and retains keys where the environment says so, and not otherwise", async () => {
        const prod = ofType(await resourcesUnder(build("keys-prod", true)), "aws:kms/key:Key");
        assert.ok(prod.every((k) => k.protect && k.retainOnDelete && k.inputs.deletionWindowInDays === 30));
        const dev = ofType(await resourcesUnder(build("keys-dev", false)), "aws:kms/key:Key");
        assert.ok(dev.every((k) => !k.protect && !k.retainOnDelete));
        const aliases = ofType(await resourcesUnder(build("keys-alias", true)), "aws:kms/alias:Alias");
        assert.ok(aliases.every((a) => !a.protect), "aliases hold no data and stay replaceable");
    });

    it("lets the named trails describe the key, generate data keys under their context and decrypt for the bucket key, each in its own statement", async () => {
        const trailArn = "arn:aws:cloudtrail:eu-west-1:123456789012:trail/audit";
        const keys = new PlatformKeys("keys-trail", { namePrefix: "keys-trail", account: testAccount, protection: { protect: false, removeDataOnDestroy: true }, cloudTrailArns: [trailArn] });
        const ops = (await resourcesUnder(keys)).find((r) => r.name === "keys-trail-operations")!;
        const trail = policyOf(ops).Statement.filter((s) => s.Principal.Service === "cloudtrail.amazonaws.com");
        const byAction = Object.fromEntries(trail.map((s) => [[s.Action].flat().join(","), s.Condition]));
        assert.deepEqual(Object.keys(byAction).sort(), ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*"]);
        // A DescribeKey request carries no encryption context: its statement must not require one.
        assert.deepEqual(byAction["kms:DescribeKey"], { StringEquals: { "aws:SourceArn": trailArn } });
        assert.deepEqual(byAction["kms:Decrypt"], { StringEquals: { "aws:SourceArn": trailArn } });
        assert.equal(byAction["kms:GenerateDataKey*"].StringEquals["aws:SourceArn"], trailArn);
        assert.equal(byAction["kms:GenerateDataKey*"].StringLike["kms:EncryptionContext:aws:cloudtrail:arn"], "arn:aws:cloudtrail:*:123456789012:trail/*");
        const none = (await resourcesUnder(build("keys-no-trail", false))).find((r) => r.name === "keys-no-trail-operations")!;
        assert.ok(!policyOf(none).Statement.some((s) => s.Principal.Service === "cloudtrail.amazonaws.com"), "no trail, no CloudTrail grant");
    });
});
