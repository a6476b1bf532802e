package io.github.awsdelegation.testkit;

import java.util.List;

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
    /** The role for database users in {@value #ADMIN_GROUP}, who may add and remove pets: {@value}. */
    public static final String ADMIN_ROLE_ARN = "arn:aws:iam::123456789012:role/pet-shop-admin";

    /** The bucket the demo roles' permission policies are about (kept for later S3 emulation): {@value}. */
    public static final String PETS_BUCKET = "pet-shop";

    /** The buyer role's permission policy: read the pet catalogue, write orders. */
    public static final String BUYER_PERMISSION_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Sid\":\"ReadCatalogue\",\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],"
            + "\"Resource\":[\"arn:aws:s3:::pet-shop\",\"arn:aws:s3:::pet-shop/pets/*\"]},"
            + "{\"Sid\":\"PlaceOrders\",\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\","
            + "\"Resource\":\"arn:aws:s3:::pet-shop/orders/*\"}]}";

    /** The admin role's permission policy: everything on the pet shop bucket. */
    public static final String ADMIN_PERMISSION_POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Sid\":\"ManagePets\",\"Effect\":\"Allow\",\"Action\":\"s3:*\","
            + "\"Resource\":[\"arn:aws:s3:::pet-shop\",\"arn:aws:s3:::pet-shop/*\"]}]}";

    private Demo() {
    }
}
