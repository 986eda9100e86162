/**
 * The AWS SDK warns, over several lines on stderr, that releases after January 2027 will need
 * Node 22. The audit promises one-line errors and the project pins Node 20 on purpose (see the
 * README), so it turns that one notice off with the SDK's own switch, unless the user set it.
 * Import before the SDK.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
