package io.github.awsdelegation;

import io.github.awsdelegation.token.ConnectionType;
import io.github.awsdelegation.token.VerifiedIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Verified identities for tests of the stages after token validation. */
public final class Identities {

    public static final String ISSUER = "https://tenant.example.com/";

    private Identities() {
    }

    public static VerifiedIdentity social(String subject) {
        return new VerifiedIdentity(ISSUER, subject, ConnectionType.SOCIAL, "amazon", List.of(), "buyer@example.com",
                Instant.now().plusSeconds(3600), Map.of("sub", subject, "email", "buyer@example.com", "email_verified", true));
    }

    public static VerifiedIdentity database(String subject, List<String> groups) {
        return new VerifiedIdentity(ISSUER, subject, ConnectionType.DATABASE, "Username-Password-Authentication", groups,
                "admin@example.com", Instant.now().plusSeconds(3600),
                Map.of("sub", subject, "email", "admin@example.com", "email_verified", true, "groups", groups));
    }

    public static VerifiedIdentity withClaims(String subject, ConnectionType type, Map<String, Object> claims) {
        return new VerifiedIdentity(ISSUER, subject, type, "conn", List.of(), (String) claims.get("email"),
                Instant.now().plusSeconds(3600), claims);
    }
}
