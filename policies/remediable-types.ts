/**
 * The resource types the pack's remediable policies fix (`kms-key-rotation`,
 * `cloudtrail-log-validation`, `subnet-no-public-ip-on-launch`, `s3-no-force-destroy`): Remediate
 * answers nothing for any other type. A module of its own, with no imports, so the offline plan can
 * read it without loading the pack: it sends Remediate only for these types, which halves the
 * requests the pack decodes and leaves the diagnostics as they are.
 * tests/policies/rules.test.ts checks the list against the rules.
 */
export const REMEDIABLE_TYPES: readonly string[] = ["aws:cloudtrail/trail:Trail", "aws:ec2/subnet:Subnet", "aws:kms/key:Key", "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
