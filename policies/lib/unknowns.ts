/**
 * How the pack says what it could not judge. During `pulumi preview`, values computed by the
 * update (ARNs, ids, generated names of resources not yet created) are unknown; a policy that
 * needs one cannot judge that resource yet. It says so in an advisory diagnostic that starts with
 * this prefix (never at the policy's own level: an unknown is not a violation), naming the value
 * it waited on; `pulumi up` judges the resource again once the value is known.
 */
export const NOT_JUDGED_PREFIX = "not judged:";

/**
 * Whether a diagnostic says a policy could not judge a resource: the pack's own wording, or the
 * one @pulumi/policy uses when an unknown escapes a policy (`can't run policy … during preview`).
 */
export function isNotJudgedMessage(message: string): boolean {
    const line = message.trimStart();
    return line.startsWith(NOT_JUDGED_PREFIX) || /^can't run (policy|remediation) .* during preview/.test(line);
}
