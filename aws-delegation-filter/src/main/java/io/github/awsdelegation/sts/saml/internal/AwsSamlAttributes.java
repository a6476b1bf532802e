package io.github.awsdelegation.sts.saml.internal;

/**
 * The SAML attribute names AWS reads from an assertion (IAM User Guide, "Configure SAML assertions for the
 * authentication response"). Names are case-sensitive.
 */
public final class AwsSamlAttributes {

    /** The common prefix of AWS's attribute names: {@value}. */
    public static final String PREFIX = "https://aws.amazon.com/SAML/Attributes/";

    /** The roles the user may assume, one value {@code roleArn,providerArn} per role: {@value}. */
    public static final String ROLE = PREFIX + "Role";

    /** The role session name (required; 2-64 characters of {@code [\w+=,.@-]}): {@value}. */
    public static final String ROLE_SESSION_NAME = PREFIX + "RoleSessionName";

    /** The console session's length in seconds, 900-43,200: {@value}. */
    public static final String SESSION_DURATION = PREFIX + "SessionDuration";

    /** The source identity, kept through role chaining and in CloudTrail: {@value}. */
    public static final String SOURCE_IDENTITY = PREFIX + "SourceIdentity";

    /** The prefix of session tags, {@code PrincipalTag:<key>}, one value each: {@value}. */
    public static final String PRINCIPAL_TAG_PREFIX = PREFIX + "PrincipalTag:";

    /** The keys of the session tags that pass on through role chaining: {@value}. */
    public static final String TRANSITIVE_TAG_KEYS = PREFIX + "TransitiveTagKeys";

    /** The NameID format AWS maps to {@code ${saml:sub}} for a stable user identifier: {@value}. */
    public static final String PERSISTENT_NAME_ID = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";

    private AwsSamlAttributes() {
    }
}
