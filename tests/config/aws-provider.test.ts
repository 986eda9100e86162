import * as assert from "node:assert/strict";
import * as path from "node:path";
import { parseAwsProviderSettings } from "../../config/aws-provider";
import { ConfigError, parseStackConfig, readStackFile } from "../../config/loader";

const dev = () => structuredClone(readStackFile(path.resolve(__dirname, "../../stacks/Pulumi.dev.yaml"))) as Record<string, unknown>;

describe("the stack's aws: settings", () => {
    it("passes every honoured key to the provider, in the provider's shape", () => {
        const { settings, errors } = parseAwsProviderSettings({
            "aws:region": "eu-west-1",
            "aws:profile": "lakehouse-prod",
            "aws:assumeRoles": [{ roleArn: "arn:aws:iam::333333333333:role/lakehouse-deployer", sessionName: "ci-42" }],
            "aws:allowedAccountIds": ["333333333333"],
            "aws:retryMode": "adaptive",
            "lakehouse:environment": "prod",
        });
        assert.deepEqual(errors, []);
        assert.deepEqual(settings, {
            profile: "lakehouse-prod",
            assumeRoles: [{ roleArn: "arn:aws:iam::333333333333:role/lakehouse-deployer", sessionName: "ci-42" }],
            allowedAccountIds: ["333333333333"],
            retryMode: "adaptive",
        });
    });

    it("reads a number the engine hands over as text, as it hands every scalar config value", () => {
        assert.deepEqual(parseAwsProviderSettings({ "aws:maxRetries": "5" }), { settings: { maxRetries: 5 }, errors: [] });
        assert.deepEqual(parseAwsProviderSettings({ "aws:maxRetries": 5 }), { settings: { maxRetries: 5 }, errors: [] });
        assert.deepEqual(parseAwsProviderSettings({ "aws:maxRetries": "five" }).errors, ['aws:maxRetries: got "five"; expected an integer from 0 to 100']);
    });

    it("refuses, in one line each, keys it would otherwise ignore, secrets and malformed values", () => {
        const { errors } = parseAwsProviderSettings({
            "aws:accessKey": "AKIA...",
            "aws:assumeRole": { roleArn: "arn:aws:iam::333333333333:role/x" },
            "aws:skipMetadataApiCheck": true,
            "aws:allowedAccountIds": [333333333333],
            "aws:assumeRoles": [{ roleArn: "deployer" }],
        });
        assert.deepEqual(errors, [
            "aws:accessKey: refused; long-lived keys do not belong in stack configuration: use aws:profile, aws:assumeRoles or the environment's credentials (OIDC in CI)",
            "aws:assumeRole: refused; write it as aws:assumeRoles, a list of { roleArn, … } (the provider chains them in order)",
            "aws:skipMetadataApiCheck: refused; the platform's provider does not honour it; supported aws: keys: aws:region, aws:profile, aws:sharedConfigFiles, aws:sharedCredentialsFiles, aws:assumeRoles, aws:allowedAccountIds, aws:forbiddenAccountIds, aws:maxRetries, aws:retryMode, aws:stsRegion",
            "aws:allowedAccountIds[0]: got 333333333333; expected a 12-digit account id, in quotes",
            'aws:assumeRoles[0].roleArn: got "deployer"; expected an IAM role ARN (arn:aws:iam::<account>:role/<name>)',
        ]);
    });

    it("is part of the stack's validation: a refused key fails the stack before anything is registered", () => {
        const cfg = dev();
        cfg["aws:secretKey"] = "x";
        assert.throws(() => parseStackConfig(cfg), (err: unknown) => err instanceof ConfigError && err.lines.some((l) => l.startsWith("aws:secretKey: refused")));
        const ok = dev();
        ok["aws:profile"] = "lakehouse-dev";
        assert.deepEqual(parseStackConfig(ok).awsProvider, { profile: "lakehouse-dev" });
    });
});
