package io.github.awsdelegation.sts.internal;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;

/**
 * The AWS partitions this module federates into, with what differs between them: the STS endpoints, the
 * sign-in endpoints that receive SAML assertions, the SAML audience, and the console federation endpoint.
 * Credentials from one partition work only there, and {@code aws-cn} and {@code aws-us-gov} have no
 * global STS endpoint, so the module always calls a regional endpoint of the role's own partition.
 */
public enum Partition {

    /** The commercial partition ({@code arn:aws:...}). */
    AWS("aws", "amazonaws.com", "us-east-1", URI.create("https://signin.aws.amazon.com/saml"),
            "https://signin.aws.amazon.com/saml", URI.create("https://signin.aws.amazon.com/federation"),
            URI.create("https://console.aws.amazon.com/"), "signin.aws.amazon.com"),

    /** The China partition ({@code arn:aws-cn:...}), operated by Sinnet and NWCD. */
    AWS_CN("aws-cn", "amazonaws.com.cn", "cn-north-1", URI.create("https://signin.amazonaws.cn/saml"),
            "https://signin.amazonaws.cn/saml", URI.create("https://signin.amazonaws.cn/federation"),
            URI.create("https://console.amazonaws.cn/"), "signin.amazonaws.cn"),

    /** The AWS GovCloud (US) partition ({@code arn:aws-us-gov:...}). */
    AWS_US_GOV("aws-us-gov", "amazonaws.com", "us-gov-west-1", URI.create("https://signin.amazonaws-us-gov.com/saml"),
            "urn:amazon:webservices:govcloud", URI.create("https://signin.amazonaws-us-gov.com/federation"),
            URI.create("https://console.amazonaws-us-gov.com/"), "signin.amazonaws-us-gov.com");

    private static final Pattern ARN = Pattern.compile("arn:([a-z-]+):.*");

    private final String id;
    private final String dnsSuffix;
    private final String defaultRegion;
    private final URI samlSignInUrl;
    private final String samlAudience;
    private final URI federationUrl;
    private final URI consoleUrl;
    private final String signInHost;

    Partition(String id, String dnsSuffix, String defaultRegion, URI samlSignInUrl, String samlAudience,
            URI federationUrl, URI consoleUrl, String signInHost) {
        this.id = id;
        this.dnsSuffix = dnsSuffix;
        this.defaultRegion = defaultRegion;
        this.samlSignInUrl = samlSignInUrl;
        this.samlAudience = samlAudience;
        this.federationUrl = federationUrl;
        this.consoleUrl = consoleUrl;
        this.signInHost = signInHost;
    }

    /** Returns the partition's identifier as it appears in ARNs: {@code aws}, {@code aws-cn} or {@code aws-us-gov}. */
    public String id() {
        return id;
    }

    /**
     * Returns the region whose STS endpoint issues a role's credentials, and where the user's clients call AWS: the
     * role's own region, else the configured one when it is in the role's partition, else the partition's default
     * region (credentials of {@code aws-cn} and {@code aws-us-gov} can only come from there). The session planner
     * works it out once per session with this.
     *
     * @param configured the configured STS region ({@code sts.region})
     */
    public static Region regionFor(io.github.awsdelegation.role.RoleGrant role, Region configured) {
        if (role.regionName().isPresent()) {
            return Region.of(role.regionName().get());
        }
        Partition partition = of(role.partition());
        return partition.contains(configured) ? configured : partition.defaultRegion();
    }

    /**
     * Returns the partition with this identifier.
     *
     * @throws IllegalArgumentException naming the supported partitions when there is none
     */
    public static Partition of(String id) {
        for (Partition p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown AWS partition '" + id + "'; use aws, aws-cn or aws-us-gov");
    }

    /**
     * Returns the partition of an ARN ({@code arn:aws-cn:iam::...} is {@link #AWS_CN}).
     *
     * @throws IllegalArgumentException when the value is not an ARN of a supported partition
     */
    public static Partition ofArn(String arn) {
        Matcher m = arn == null ? null : ARN.matcher(arn);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + arn + "' is not an ARN (arn:<partition>:...)");
        }
        return of(m.group(1));
    }

    /**
     * Returns the partition a region belongs to, according to the AWS SDK's region metadata.
     *
     * @throws IllegalArgumentException when the SDK does not know the region, or it is a global pseudo-region
     *                                  such as {@code aws-global}
     */
    public static Partition ofRegion(Region region) {
        RegionMetadata metadata = region == null ? null : RegionMetadata.of(region);
        if (metadata == null || region.isGlobalRegion() || !Region.regions().contains(region)) {
            throw new IllegalArgumentException("'" + region + "' is not an AWS region known to the AWS SDK");
        }
        return of(metadata.partition().id());
    }

    /** Tells whether the region is a (non-global) region of this partition. */
    public boolean contains(Region region) {
        try {
            return ofRegion(region) == this;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Returns the region whose STS endpoint this module uses when nothing else says: us-east-1, cn-north-1, us-gov-west-1. */
    public Region defaultRegion() {
        return Region.of(defaultRegion);
    }

    /**
     * Returns the regional STS endpoint of a region of this partition, e.g.
     * {@code https://sts.cn-north-1.amazonaws.com.cn}.
     *
     * @throws IllegalArgumentException when the region is not in this partition
     */
    public URI stsEndpoint(Region region) {
        requireRegion(region);
        return URI.create("https://sts." + region.id() + "." + dnsSuffix);
    }

    /**
     * Returns the sign-in endpoint that receives SAML assertions (the {@code Recipient} of the subject
     * confirmation, and where console sign-in posts them): {@code https://signin.aws.amazon.com/saml},
     * {@code https://signin.amazonaws.cn/saml} or {@code https://signin.amazonaws-us-gov.com/saml}.
     */
    public URI samlSignInUrl() {
        return samlSignInUrl;
    }

    /**
     * Returns the regional sign-in endpoint for SAML, {@code https://<region>.signin.aws.amazon.com/saml}, which
     * AWS accepts as {@code Recipient} and as console sign-in target as well.
     *
     * @throws IllegalArgumentException when the region is not in this partition
     */
    public URI samlSignInUrl(Region region) {
        requireRegion(region);
        return URI.create("https://" + region.id() + "." + signInHost + "/saml");
    }

    /**
     * Returns the SAML audience AWS requires in the assertion's {@code AudienceRestriction}:
     * {@code https://signin.aws.amazon.com/saml}, {@code https://signin.amazonaws.cn/saml} or
     * {@code urn:amazon:webservices:govcloud}.
     */
    public String samlAudience() {
        return samlAudience;
    }

    /** Returns the console federation endpoint ({@code GetSigninToken} / {@code Login}). */
    public URI federationUrl() {
        return federationUrl;
    }

    /** Returns the AWS Management Console's address in this partition. */
    public URI consoleUrl() {
        return consoleUrl;
    }

    /** Tells whether a URL is one of this partition's SAML sign-in endpoints, global or regional. */
    public boolean isSamlSignInUrl(String url) {
        if (url == null) {
            return false;
        }
        if (url.equals(samlSignInUrl.toString())) {
            return true;
        }
        String suffix = "." + signInHost + "/saml";
        if (!url.startsWith("https://") || !url.endsWith(suffix)) {
            return false;
        }
        String region = url.substring("https://".length(), url.length() - suffix.length());
        return contains(Region.of(region.toLowerCase(Locale.ROOT)));
    }

    /** Returns the partition's identifier. */
    @Override
    public String toString() {
        return id;
    }

    private void requireRegion(Region region) {
        if (!contains(region)) {
            Optional<Partition> actual = Optional.empty();
            try {
                actual = Optional.of(ofRegion(region));
            } catch (IllegalArgumentException unknown) {
                // reported below
            }
            throw new IllegalArgumentException("region " + region + " is not in partition " + id
                    + actual.map(p -> " (it is in " + p.id + ")").orElse(" (the AWS SDK does not know it)")
                    + "; use a region of " + id + ", e.g. " + defaultRegion);
        }
    }
}
