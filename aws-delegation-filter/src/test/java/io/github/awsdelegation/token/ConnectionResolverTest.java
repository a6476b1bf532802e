package io.github.awsdelegation.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.token.ConnectionResolver.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The connection resolvers: Auth0's {@code sub} prefixes, and Keycloak/Okta/Cognito claims. */
class ConnectionResolverTest {

    @Nested
    class Auth0 {

        private final ConnectionResolver auth0 = ConnectionResolver.auth0();

        @ParameterizedTest(name = "{0} is {1}")
        @CsvSource({
            "auth0|5f7c8ec7c33c6c004bbafe82, DATABASE, auth0",
            "google-oauth2|103547991597142817347, SOCIAL, google-oauth2",
            "amazon|amzn1.account.AE, SOCIAL, amazon",
            "facebook|10157, SOCIAL, facebook",
            "github|1234567, SOCIAL, github",
            "twitter|987, SOCIAL, twitter",
            "linkedin|AbC, SOCIAL, linkedin",
            "windowslive|4cb1, SOCIAL, windowslive",
            "apple|001234.abcd, SOCIAL, apple",
            "samlp|my-saml|jane@corp.example, ENTERPRISE, samlp",
            "waad|1d4c, ENTERPRISE, waad",
            "adfs|jane@corp.example, ENTERPRISE, adfs",
            "ad|corp-ldap|jane, ENTERPRISE, ad",
            "oidc|okta|00u1, ENTERPRISE, oidc",
            "google-apps|jane@corp.example, ENTERPRISE, google-apps",
            "email|6431, PASSWORDLESS, email",
            "sms|6432, PASSWORDLESS, sms",
            "oauth2|custom|1, UNKNOWN, oauth2",
        })
        void resolve_subPrefix_typeAndName(String subject, ConnectionType type, String name) {
            assertThat(auth0.resolve(subject, Map.of())).isEqualTo(new Connection(type, name));
        }

        @Test
        void prefixTable_isTheDocumentedOne() {
            assertThat(ConnectionResolver.AUTH0_SUB_PREFIXES).hasSize(17)
                    .containsEntry("auth0", ConnectionType.DATABASE)
                    .containsEntry("apple", ConnectionType.SOCIAL)
                    .containsEntry("google-apps", ConnectionType.ENTERPRISE)
                    .containsEntry("sms", ConnectionType.PASSWORDLESS);
        }

        @Test
        void resolve_subjectWithoutBar_unknownWithoutName() {
            assertThat(auth0.resolve("5f7c8ec7c33c6c004bbafe82", Map.of())).isEqualTo(Connection.UNKNOWN);
        }

        @Test
        @DisplayName("The prefix decides the type, and a prefix that merely starts like a known one does not count")
        void resolve_prefixMatchedWhole() {
            assertThat(auth0.resolve("auth0x|1", Map.of()).type()).isEqualTo(ConnectionType.UNKNOWN);
            assertThat(auth0.resolve("AUTH0|1", Map.of()).type()).isEqualTo(ConnectionType.UNKNOWN);
        }

        @Test
        void resolve_connectionNameClaim_namesTheConnection() {
            ConnectionResolver named = ConnectionResolver.auth0("https://example.com/connection");

            assertThat(named.resolve("auth0|1", Map.of("https://example.com/connection", "Username-Password-Authentication")))
                    .isEqualTo(new Connection(ConnectionType.DATABASE, "Username-Password-Authentication"));
            assertThat(named.resolve("auth0|1", Map.of())).isEqualTo(new Connection(ConnectionType.DATABASE, "auth0"));
            assertThat(named.resolve("auth0|1", Map.of("https://example.com/connection", 7)).name()).isEqualTo("auth0");
        }

        @Test
        void resolve_extraPrefixes_addAndOverride() {
            ConnectionResolver custom = ConnectionResolver.auth0(null,
                    Map.of("oauth2|", ConnectionType.SOCIAL, "samlp", ConnectionType.SOCIAL));

            assertThat(custom.resolve("oauth2|my-conn|1", Map.of())).isEqualTo(new Connection(ConnectionType.SOCIAL, "oauth2"));
            assertThat(custom.resolve("samlp|x|1", Map.of()).type()).isEqualTo(ConnectionType.SOCIAL);
            assertThat(custom.resolve("auth0|1", Map.of()).type()).isEqualTo(ConnectionType.DATABASE);
            assertThat(ConnectionResolver.auth0("conn", Map.of("oauth2", ConnectionType.SOCIAL)).resolve("oauth2|x|1", Map.of("conn", "github-enterprise")))
                    .isEqualTo(new Connection(ConnectionType.SOCIAL, "github-enterprise"));
        }

        @Test
        void auth0_badExtraPrefixOrClaim_refused() {
            assertThatThrownBy(() -> ConnectionResolver.auth0(null, Map.of("a|b", ConnectionType.SOCIAL)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("extraPrefixes: 'a|b' is not a sub prefix");
            assertThatThrownBy(() -> ConnectionResolver.auth0(" "))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("connectionNameClaim: a claim name is required");
        }
    }

    @Nested
    class FromClaim {

        private final Map<String, ConnectionType> types = Map.of("google", ConnectionType.SOCIAL, "corp-saml", ConnectionType.ENTERPRISE);

        @Test
        @DisplayName("Keycloak: a listed provider is its type, the realm's own users (no claim) what absent says, an unlisted provider unknown")
        void resolve_keycloakIdentityProvider_failsClosed() {
            ConnectionResolver keycloak = ConnectionResolver.claimBuilder("identity_provider")
                    .types(types).whenAbsent(ConnectionType.DATABASE).build();

            assertThat(keycloak.resolve("f1c2", Map.of("identity_provider", "google"))).isEqualTo(new Connection(ConnectionType.SOCIAL, "google"));
            assertThat(keycloak.resolve("f1c2", Map.of())).isEqualTo(new Connection(ConnectionType.DATABASE, ""));
            // The incident of issue 12: a provider added to the realm later must not become database (admin).
            assertThat(keycloak.resolve("f1c2", Map.of("identity_provider", "github"))).isEqualTo(new Connection(ConnectionType.UNKNOWN, "github"));
        }

        @Test
        @DisplayName("fromClaim(claim, types) fails closed: unlisted, absent and malformed claims are all unknown")
        void fromClaim_unlistedAbsentMalformed_unknown() {
            ConnectionResolver okta = ConnectionResolver.fromClaim("idp", Map.of("0oa1corp", ConnectionType.ENTERPRISE));

            assertThat(okta.resolve("00u1", Map.of("idp", "0oa1corp"))).isEqualTo(new Connection(ConnectionType.ENTERPRISE, "0oa1corp"));
            assertThat(okta.resolve("00u1", Map.of("idp", "00o1org"))).isEqualTo(new Connection(ConnectionType.UNKNOWN, "00o1org"));
            assertThat(okta.resolve("00u1", Map.of())).isEqualTo(Connection.UNKNOWN);
            assertThat(okta.resolve("00u1", Map.of("idp", 12))).isEqualTo(Connection.UNKNOWN);
            assertThat(okta.resolve("00u1", Map.of("idp", " "))).isEqualTo(Connection.UNKNOWN);
        }

        @Test
        @DisplayName("An explicit catch-all types unlisted names, but never a claim that is absent, blank or not a string")
        void whenUnlisted_appliesToUnlistedNamesOnly() {
            ConnectionResolver catchAll = ConnectionResolver.claimBuilder("idp")
                    .type("0oa1corp", ConnectionType.ENTERPRISE).whenUnlisted(ConnectionType.SOCIAL).build();

            assertThat(catchAll.resolve("00u1", Map.of("idp", "0oa9new"))).isEqualTo(new Connection(ConnectionType.SOCIAL, "0oa9new"));
            assertThat(catchAll.resolve("00u1", Map.of("idp", "0oa1corp"))).isEqualTo(new Connection(ConnectionType.ENTERPRISE, "0oa1corp"));
            assertThat(catchAll.resolve("00u1", Map.of())).isEqualTo(Connection.UNKNOWN);
            assertThat(catchAll.resolve("00u1", Map.of("idp", List.of("a")))).isEqualTo(Connection.UNKNOWN);
        }

        @Test
        void claimBuilder_blankNameOrNullType_refusedNamingTypes() {
            assertThatThrownBy(() -> ConnectionResolver.claimBuilder("idp").type(" ", ConnectionType.SOCIAL))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("types: a connection name must not be blank");
            assertThatThrownBy(() -> ConnectionResolver.claimBuilder("idp").type("google", null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("types: no connection type for 'google'");
        }

        @Test
        void claimBuilder_laterChanges_doNotAffectBuiltResolver() {
            ConnectionResolver.ClaimBuilder builder = ConnectionResolver.claimBuilder("idp").type("a", ConnectionType.SOCIAL);
            ConnectionResolver built = builder.build();
            builder.type("b", ConnectionType.DATABASE).whenAbsent(ConnectionType.DATABASE);

            assertThat(built.resolve("u", Map.of("idp", "b")).type()).isEqualTo(ConnectionType.UNKNOWN);
            assertThat(built.resolve("u", Map.of()).type()).isEqualTo(ConnectionType.UNKNOWN);
        }

        @Test
        @DisplayName("Cognito's identities array: the primary identity, typed by provider name, then provider type")
        void resolve_cognitoIdentities() {
            ConnectionResolver cognito = ConnectionResolver.fromClaim("identities",
                    Map.of("Google", ConnectionType.SOCIAL, "corp-saml", ConnectionType.ENTERPRISE));
            Map<String, Object> google = Map.of("providerName", "Google", "providerType", "Google", "primary", "false");
            Map<String, Object> saml = Map.of("providerName", "corp-saml", "providerType", "SAML", "primary", "true");
            Map<String, Object> oidc = Map.of("providerName", "partner", "providerType", "OIDC");

            assertThat(cognito.resolve("u", Map.of("identities", List.of(google, saml)))).isEqualTo(new Connection(ConnectionType.ENTERPRISE, "corp-saml"));
            assertThat(cognito.resolve("u", Map.of("identities", List.of(google)))).isEqualTo(new Connection(ConnectionType.SOCIAL, "Google"));
            assertThat(cognito.resolve("u", Map.of("identities", List.of(oidc)))).isEqualTo(new Connection(ConnectionType.UNKNOWN, "partner"));
            assertThat(cognito.resolve("u", Map.of("identities", List.of()))).isEqualTo(Connection.UNKNOWN);
            assertThat(cognito.resolve("u", Map.of())).isEqualTo(Connection.UNKNOWN);
        }

        @Test
        void resolve_cognitoProviderType_mapsWhenNameUnmapped() {
            ConnectionResolver byType = ConnectionResolver.fromClaim("identities", Map.of("SAML", ConnectionType.ENTERPRISE));

            assertThat(byType.resolve("u", Map.of("identities", List.of(Map.of("providerName", "corp", "providerType", "SAML")))))
                    .isEqualTo(new Connection(ConnectionType.ENTERPRISE, "corp"));
        }

        @Test
        void fromClaim_blankClaim_refused() {
            assertThatThrownBy(() -> ConnectionResolver.fromClaim("", Map.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("claim: a claim name is required");
        }
    }

    @Test
    void connection_nullName_empty() {
        assertThat(new Connection(ConnectionType.SOCIAL, null).name()).isEmpty();
        assertThatThrownBy(() -> new Connection(null, "x")).isInstanceOf(NullPointerException.class);
    }
}
