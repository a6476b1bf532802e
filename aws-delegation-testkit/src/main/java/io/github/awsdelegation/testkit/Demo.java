package io.github.awsdelegation.testkit;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo set-up of the pet shop (the Auth0 multi-role tutorial): one public client, a database user who is
 * a pet admin, an Amazon user who buys pets, and the two roles they map to. {@link LocalIdentityProvider},
 * {@link LocalAws}, {@link LocalAwsExtension} and {@link LocalAwsMain} use it by default.
 */
public final class Demo {

    /** The AWS account id: {@value}. */
    public static final String ACCOUNT_ID = "123456789012";
    /** The client id of the pet shop, a public client allowed any loopback redirect: {@value}. */
    public static final String CLIENT_ID = "pet-shop";

    /** The database user's username (an email, as in Auth0): {@value}. */
    public static final String ADMIN_USERNAME = "admin@example.com";
    /** The database user's password: {@value}. A demo value; never a real secret. */
    public static final String ADMIN_PASSWORD = "admin-password";
    /** The database user's email: {@value}. */
    public static final String ADMIN_EMAIL = "admin@example.com";
    /** The database user's group. */
    public static final String ADMIN_GROUP = "pet-admins";
    /** The database user's groups: [{@value #ADMIN_GROUP}]. */
    public static final List<String> ADMIN_GROUPS = List.of(ADMIN_GROUP);

    /** The "Continue with Amazon" user's Amazon account id: {@value}; subject {@code amazon|amzn1.account.DEMO}. */
    public static final String BUYER_AMAZON_ID = "amzn1.account.DEMO";
    /** The "Continue with Amazon" user's email: {@value}. */
    public static final String BUYER_EMAIL = "buyer@example.com";

    /** The role for social users, who may buy pets: {@value}. */
    public static final String BUYER_ROLE_ARN = "arn:aws:iam::123456789012:role/pet-shop-buyer";
    /** The role for database users in {@value #ADMIN_GROUP}, who may add and remove pets but not buy them: {@value}. */
    public static final String ADMIN_ROLE_ARN = "arn:aws:iam::123456789012:role/pet-shop-admin";

    /** The demo bucket: each buyer has a folder {@code pet-shop/<sub>/}; admins may use all of it. {@value} */
    public static final String PETS_BUCKET = "pet-shop";

    /** The pets the demo shop starts with (type and price in dollars), in id order from 1. */
    public static final List<Map.Entry<String, BigDecimal>> PETS = List.of(
            Map.entry("dog", new BigDecimal("249.99")),
            Map.entry("cat", new BigDecimal("124.99")),
            Map.entry("fish", new BigDecimal("0.99")));

    /**
     * Returns the buyer role's permission policy for users of the given OIDC provider: list and purchase pets
     * ({@code execute-api:Invoke} on {@code GET /pets} and {@code POST /pets/<id>/purchase}), and use their own folder
     * of the demo bucket, {@code pet-shop/<sub>/} (the policy variable {@code ${<provider>:sub}} for web identity,
     * {@code ${saml:sub}} for SAML).
     *
     * @param issuer the OIDC issuer, e.g. {@link LocalIdentityProvider#issuer()}
     */
    public static String buyerPermissionPolicy(URI issuer) {
        return buyerPermissionPolicy(List.of(issuer));
    }

    /**
     * Returns the buyer role's permission policy for users of several OIDC providers: as
     * {@link #buyerPermissionPolicy(URI)}, with an own-folder statement for each provider's {@code sub}.
     *
     * @param issuers the OIDC issuers whose users may take the role
     */
    public static String buyerPermissionPolicy(List<URI> issuers) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"ListAndBuyPets\",\"Effect\":\"Allow\",\"Action\":\"execute-api:Invoke\",\"Resource\":["
                + "\"arn:aws:execute-api:*:" + ACCOUNT_ID + ":*/*/GET/pets\","
                + "\"arn:aws:execute-api:*:" + ACCOUNT_ID + ":*/*/POST/pets/*/purchase\"]},"
                + ownFolderStatements(issuers) + "]}";
    }

    /**
     * Returns the admin role's permission policy for users of the given OIDC provider: list, add and remove pets
     * ({@code execute-api:Invoke} on {@code GET /pets}, {@code POST /pets} and {@code DELETE /pets/<id>}) but, as in
     * the tutorial, not buy them ({@code POST /pets/<id>/purchase} is not allowed), and use the whole demo bucket.
     *
     * @param issuer the OIDC issuer, e.g. {@link LocalIdentityProvider#issuer()}
     */
    public static String adminPermissionPolicy(URI issuer) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"ListAddAndRemovePets\",\"Effect\":\"Allow\",\"Action\":\"execute-api:Invoke\",\"Resource\":["
                + "\"arn:aws:execute-api:*:" + ACCOUNT_ID + ":*/*/GET/pets\","
                + "\"arn:aws:execute-api:*:" + ACCOUNT_ID + ":*/*/POST/pets\","
                + "\"arn:aws:execute-api:*:" + ACCOUNT_ID + ":*/*/DELETE/pets/*\"]},"
                + "{\"Sid\":\"ManageBucket\",\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":[\"arn:aws:s3:::" + PETS_BUCKET + "\",\"arn:aws:s3:::" + PETS_BUCKET + "/*\"]}]}";
    }

    private static String ownFolderStatements(List<URI> issuers) {
        StringBuilder out = new StringBuilder();
        List<String> subs = new ArrayList<>();
        issuers.forEach(issuer -> subs.add("${" + LocalSts.oidcProviderId(issuer) + ":sub}"));
        subs.add("${saml:sub}");
        for (int i = 0; i < subs.size(); i++) {
            String sub = subs.get(i);
            // The first provider keeps the Sids it always had; the others are numbered.
            String label = sub.startsWith("${saml") ? "Saml" : i == 0 ? "WebIdentity" : "WebIdentity" + (i + 1);
            if (out.length() > 0) {
                out.append(',');
            }
            out.append("{\"Sid\":\"OwnFolder").append(label).append("\",\"Effect\":\"Allow\",")
                    .append("\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\"],")
                    .append("\"Resource\":\"arn:aws:s3:::" + PETS_BUCKET + "/").append(sub).append("/*\"},")
                    .append("{\"Sid\":\"ListOwnFolder").append(label).append("\",\"Effect\":\"Allow\",")
                    .append("\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::" + PETS_BUCKET + "\",")
                    .append("\"Condition\":{\"StringLike\":{\"s3:prefix\":[\"").append(sub).append("/\",\"")
                    .append(sub).append("/*\"]}}}");
        }
        return out.toString();
    }

    private Demo() {
    }
}
