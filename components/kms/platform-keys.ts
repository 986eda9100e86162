import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AccountContext } from "../shared/naming";
import { type DataProtection, statefulOptions } from "../shared/protection";
import {
    alertPublisherGrants,
    cloudTrailGrants,
    cloudWatchLogsGrant,
    keyPolicy,
    logDeliveryGrant,
    s3AccessLogDeliveryGrant,
    type ServiceKeyGrant,
} from "./key-policy";

/** The concerns the platform keeps separate keys for, so one key's compromise or grant stays contained. */
export const KEY_PURPOSES = ["lake", "streaming", "warehouse", "operations", "query"] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

const DESCRIPTIONS: Record<KeyPurpose, string> = {
    lake: "S3 data lake zones, access logs, Glue catalog and job data",
    streaming: "Kinesis Data Streams, Firehose and MSK at rest",
    warehouse: "Redshift warehouse and its admin secret",
    operations: "CloudWatch Logs, SNS, SQS, Step Functions and CloudTrail",
    // Personas use it through S3 to write and read their query results: with the lake key instead,
    // a persona role holding s3:GetObject elsewhere could decrypt lake objects past Lake Formation.
    query: "Athena query results of the personas",
};

/** A key handed to other components. */
export interface KeyRef {
    /** Key ARN: what encryption settings reference. */
    arn: pulumi.Output<string>;
    /** Key id. */
    keyId: pulumi.Output<string>;
    /** Alias name, `alias/<prefix>-<purpose>`. */
    aliasName: string;
}

/** Arguments of {@link PlatformKeys}. */
export interface PlatformKeysArgs {
    /** Prefix of aliases and logical names, e.g. `lakehouse-prod`. */
    namePrefix: string;
    /** Account, partition and Region the key policies are written for. */
    account: AccountContext;
    /**
     * Days KMS waits before deleting a key scheduled for deletion (7-30).
     * @default 30
     */
    deletionWindowDays?: number;
    /** Whether keys are protected and retained. Keys are always retained unless data removal is confirmed. */
    protection: DataProtection;
    /**
     * ARNs of the CloudTrail trails that encrypt their log files with the operations key; each gets
     * the key-policy statements CloudTrail needs, limited to these trails.
     * @default [] (no CloudTrail grant: the environment relies on an organization trail)
     */
    cloudTrailArns?: pulumi.Input<string>[];
    /**
     * Extra service grants per key, for services added by later components.
     * @default {} (the operations key always admits CloudWatch Logs, alarm and rule publishers and vended log delivery; the lake key S3 log delivery)
     */
    serviceGrants?: Partial<Record<KeyPurpose, ServiceKeyGrant[]>>;
}

/**
 * Customer-managed KMS keys of the platform, one per concern (lake, streaming, warehouse,
 * operations). Every key rotates yearly, has an alias and a deletion window, and a key policy
 * that lets the account administer it through IAM and only named, conditioned services use it.
 */
export class PlatformKeys extends pulumi.ComponentResource {
    /** The keys by purpose. */
    public readonly keys: Record<KeyPurpose, KeyRef>;

    constructor(name: string, args: PlatformKeysArgs, opts?: pulumi.ComponentResourceOptions) {
        super("lakehouse:kms:PlatformKeys", name, {}, opts);

        const alwaysGranted: Record<KeyPurpose, ServiceKeyGrant[]> = {
            lake: [s3AccessLogDeliveryGrant(args.account)],
            streaming: [],
            warehouse: [],
            operations: [cloudWatchLogsGrant(args.account), ...alertPublisherGrants(args.account), ...cloudTrailGrants(args.account, args.cloudTrailArns ?? []), logDeliveryGrant(args.account)],
            query: [],
        };

        const keys = {} as Record<KeyPurpose, KeyRef>;
        for (const purpose of KEY_PURPOSES) {
            const grants = [...alwaysGranted[purpose], ...(args.serviceGrants?.[purpose] ?? [])];
            const key = new aws.kms.Key(
                `${name}-${purpose}`,
                {
                    description: `${args.namePrefix}: ${DESCRIPTIONS[purpose]}`,
                    enableKeyRotation: true,
                    deletionWindowInDays: args.deletionWindowDays ?? 30,
                    keyUsage: "ENCRYPT_DECRYPT",
                    customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                    policy: keyPolicy(args.account, grants),
                },
                { parent: this, ...statefulOptions(args.protection) },
            );
            const aliasName = `alias/${args.namePrefix}-${purpose}`;
            new aws.kms.Alias(`${name}-${purpose}`, { name: aliasName, targetKeyId: key.keyId }, { parent: this });
            keys[purpose] = { arn: key.arn, keyId: key.keyId, aliasName };
        }
        this.keys = keys;

        this.registerOutputs({
            keyArns: Object.fromEntries(KEY_PURPOSES.map((p) => [p, keys[p].arn])),
        });
    }
}
