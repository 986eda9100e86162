import { effective } from "../lib/provider-defaults";
import { asArray, isFalse, isTrue, publicAllows, statements } from "../lib/props";
import { resourceRule, stackRule } from "../lib/rule";
import { StackIndex } from "../lib/stack";

const KEY = "aws:kms/key:Key";
const QUEUE = "aws:sqs/queue:Queue";
const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";
const REDRIVE_ALLOW = "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy";
const TOPIC = "aws:sns/topic:Topic";
const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";

export const keyAndMessagingPolicies = [
    resourceRule({
        name: "kms-key-rotation",
        family: "ENC",
        severity: "medium",
        description: "Customer-managed symmetric KMS keys rotate automatically.",
        remediation: "Set enableKeyRotation true.",
        refs: { fsbp: "KMS.4†", checkov: ["CKV_AWS_7"], config: "cmk-backing-key-rotation-enabled", controlTower: "CT.KMS.PR.1" },
        types: [KEY],
        check: ({ props }) => {
            const spec = props.keySpec ?? effective(KEY, props, "customerMasterKeySpec");
            return spec === "SYMMETRIC_DEFAULT" && !isTrue(effective(KEY, props, "enableKeyRotation")) ? "enableKeyRotation is not true (the provider default is false); set it true" : undefined;
        },
        remediate: (props) => {
            const spec = props.customerMasterKeySpec ?? props.keySpec ?? "SYMMETRIC_DEFAULT";
            return spec === "SYMMETRIC_DEFAULT" && !isTrue(props.enableKeyRotation) ? { ...props, enableKeyRotation: true } : undefined;
        },
    }),
    resourceRule({
        name: "kms-key-enabled",
        family: "DP",
        severity: "low",
        description: "KMS keys are enabled (isEnabled is not false): a disabled key makes everything encrypted with it unreadable. Advisory by nature: it concerns availability, not exposure.",
        remediation: "Remove isEnabled false, or schedule the key's deletion deliberately instead of disabling it in code.",
        refs: { checkov: ["CKV_AWS_227"] },
        types: [KEY],
        check: ({ props }) => (isFalse(effective(KEY, props, "isEnabled")) ? "isEnabled is false, so data encrypted with the key cannot be read; set it true (the provider default)" : undefined),
    }),
    resourceRule({
        name: "kms-deletion-window",
        family: "DP",
        severity: "critical",
        description: "KMS keys wait at least the configured days before deletion.",
        remediation: "Set deletionWindowInDays (lakehouse:keys.deletionWindowDays) to the environment's minimum.",
        refs: { fsbp: "KMS.3", checkov: ["CKV_AWS_227"], config: "kms-cmk-not-scheduled-for-deletion" },
        params: { minDays: { type: "number", description: "minimum deletion window in days", default: 30 } },
        types: [KEY],
        check: ({ props }, params) => {
            const days = Number(effective(KEY, props, "deletionWindowInDays"));
            return days < params.minDays ? `deletionWindowInDays is ${days}; set it to at least ${params.minDays}` : undefined;
        },
    }),
    resourceRule({
        name: "kms-policy-no-public-principal",
        family: "ACC",
        severity: "critical",
        description: "KMS key policies have no unconditioned * principal.",
        remediation: "Grant the account root and named service principals, each service grant with aws:SourceAccount or an encryption-context condition.",
        refs: { fsbp: "KMS.5", checkov: ["CKV_AWS_33", "CKV2_AWS_64"], config: "kms-key-policy-no-public-access" },
        types: [KEY],
        check: ({ props }) => publicAllows(props.policy),
    }),
    resourceRule({
        name: "sqs-encrypted-cmk",
        family: "ENC",
        severity: "medium",
        description: "SQS queues are encrypted with a customer-managed key.",
        remediation: "Set kmsMasterKeyId to the operations key.",
        refs: { fsbp: "SQS.1", checkov: ["CKV_AWS_27", "CKV2_AWS_73"], controlTower: "CT.SQS.PR.2" },
        types: [QUEUE],
        check: ({ props }) => (!props.kmsMasterKeyId || String(props.kmsMasterKeyId).includes("alias/aws/sqs") ? "queue is not encrypted with a customer-managed key" : undefined),
    }),
    resourceRule({
        name: "sqs-policy-not-public",
        family: "ACC",
        severity: "high",
        description: "SQS queue policies neither allow everyone without a condition nor grant sqs:*.",
        remediation: "Name the principals and the actions they need.",
        refs: { fsbp: "SQS.3", checkov: ["CKV_AWS_168", "CKV_AWS_72"], config: "sqs-queue-no-public-access" },
        types: [QUEUE_POLICY, QUEUE],
        check: ({ props }) => [
            ...publicAllows(props.policy),
            ...statements(props.policy)
                .filter((s) => s.Effect === "Allow" && asArray(s.Action).some((a: string) => a === "sqs:*" || a === "*"))
                .map((s) => `statement ${s.Sid ?? "(no Sid)"} grants every SQS action`),
        ],
    }),
    stackRule({
        name: "sqs-dead-letter-queue",
        family: "HA",
        severity: "medium",
        description: "Every SQS queue has a dead-letter queue, unless it is one (of a queue, a schedule, an event rule target, a function or an event source mapping).",
        remediation: "Set redrivePolicy { deadLetterTargetArn, maxReceiveCount } pointing at an encrypted DLQ.",
        refs: { config: "sqs-queue-dlq-check", controlTower: "CT.SQS.PR.1" },
        check: (resources) => {
            const index = new StackIndex(resources);
            const queues = index.ofType(QUEUE);
            const deadLetterUrns = new Set<string>();
            for (const q of queues) for (const d of index.sourcesOf(q, "redrivePolicy")) deadLetterUrns.add(d.urn);
            for (const r of index.ofType(REDRIVE_ALLOW)) for (const d of index.sourcesOf(r, "queueUrl")) deadLetterUrns.add(d.urn);
            // Other services park what they could not deliver in a queue named in their dead-letter configuration.
            const deadLetterArns = new Set<unknown>([
                ...index.ofType("aws:scheduler/schedule:Schedule").map((r) => r.props.target?.deadLetterConfig?.arn),
                ...index.ofType("aws:cloudwatch/eventTarget:EventTarget").map((r) => r.props.deadLetterConfig?.arn),
                ...index.ofType("aws:lambda/function:Function").map((r) => r.props.deadLetterConfig?.targetArn),
                ...index.ofType("aws:lambda/eventSourceMapping:EventSourceMapping").map((r) => r.props.destinationConfig?.onFailure?.destinationArn),
            ]);
            for (const q of queues) if (q.props.arn !== undefined && deadLetterArns.has(q.props.arn)) deadLetterUrns.add(q.urn);
            return queues
                .filter((q) => !q.props.redrivePolicy && !deadLetterUrns.has(q.urn))
                .map((q) => ({ message: `queue ${q.name}: no dead-letter queue`, resource: q }));
        },
    }),
    resourceRule({
        name: "sns-encrypted-kms",
        family: "ENC",
        severity: "medium",
        description: "SNS topics are encrypted with a customer-managed key.",
        remediation: "Set kmsMasterKeyId to the operations key.",
        refs: { fsbp: "SNS.1†", checkov: ["CKV_AWS_26"], config: "sns-encrypted-kms" },
        types: [TOPIC],
        check: ({ props }) => (!props.kmsMasterKeyId || String(props.kmsMasterKeyId).includes("alias/aws/sns") ? "topic is not encrypted with a customer-managed key" : undefined),
    }),
    resourceRule({
        name: "sns-policy-not-public",
        family: "ACC",
        severity: "critical",
        description: "SNS topic policies do not allow everyone without a condition.",
        remediation: "Allow named principals, and services with aws:SourceAccount.",
        refs: { fsbp: "SNS.4", checkov: ["CKV_AWS_169"], config: "sns-topic-no-public-access" },
        types: [TOPIC_POLICY, TOPIC],
        check: ({ props }) => publicAllows(props.policy),
    }),
    resourceRule({
        name: "secrets-cmk",
        family: "ENC",
        severity: "medium",
        description: "Secrets Manager secrets are encrypted with a customer-managed key.",
        remediation: "Set kmsKeyId on the secret.",
        refs: { checkov: ["CKV_AWS_149"], config: "secretsmanager-using-cmk" },
        types: [SECRET],
        check: ({ props }) => (props.kmsKeyId ? undefined : "secret uses the AWS-managed key"),
    }),
    stackRule({
        name: "secrets-rotation",
        family: "ACC",
        severity: "medium",
        description: "Secrets Manager secrets declared in the program rotate.",
        remediation: "Add an aws.secretsmanager.SecretRotation (or let the owning service manage the secret, as Redshift does for its admin password).",
        refs: { fsbp: "SecretsManager.1", checkov: ["CKV2_AWS_57"], config: "secretsmanager-rotation-enabled-check" },
        check: (resources) => {
            const index = new StackIndex(resources);
            return index
                .ofType(SECRET)
                .filter((s) => index.attached(s, ROTATION, "secretId", [s.props.arn, s.props.id]).length === 0)
                .map((s) => ({ message: `secret ${s.name}: does not rotate`, resource: s }));
        },
    }),
];
