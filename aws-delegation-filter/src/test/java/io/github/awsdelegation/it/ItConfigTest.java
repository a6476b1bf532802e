package io.github.awsdelegation.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The ITs' configuration document, as {@link ItConfig} writes it. */
class ItConfigTest {

    private static final URI ISSUER = URI.create("http://127.0.0.1:9400/");
    private static final URI STS = URI.create("http://127.0.0.1:9401");

    @Test
    @DisplayName("the oidc and sts header, sts keys, sections (flow values inline, blocks indented) and rules with roles")
    void yaml_writesTheWholeDocument() {
        String yaml = ItConfig.of(ISSUER, STS)
                .sts("callTimeout", "2s")
                .section("login", "{}")
                .section("request", "allowedOrigins: [https://admin.example.com]")
                .section("saml", """
                        entityId: https://shop.example.com/saml
                        console:
                          roleChooser: aws
                        """)
                .rule("everyone", null, ItConfig.role("arn:aws:iam::123456789012:role/a"))
                .rule("database-admins", "database",
                        ItConfig.role("arn:aws:iam::123456789012:role/b")
                                .principal("arn:aws:iam::123456789012:saml-provider/p").region("eu-west-1")
                                .with("tags", "team: pets").with("sessionPolicy", "'{\"Version\": \"2012-10-17\"}'"))
                .yaml();

        assertThat(yaml).isEqualTo("""
                oidc:
                  issuer: http://127.0.0.1:9400/
                  clientId: pet-shop
                sts:
                  region: us-east-1
                  endpoint: http://127.0.0.1:9401
                  callTimeout: 2s
                login: {}
                request:
                  allowedOrigins: [https://admin.example.com]
                saml:
                  entityId: https://shop.example.com/saml
                  console:
                    roleChooser: aws
                rules:
                  - id: everyone
                    roles:
                      - arn: arn:aws:iam::123456789012:role/a
                  - id: database-admins
                    connectionType: database
                    roles:
                      - arn: arn:aws:iam::123456789012:role/b
                        principal: arn:aws:iam::123456789012:saml-provider/p
                        region: eu-west-1
                        tags:
                          team: pets
                        sessionPolicy: '{"Version": "2012-10-17"}'
                """);
    }

    @Test
    void clientId_replacesTheDemoClient() {
        assertThat(ItConfig.of(ISSUER, STS).clientId("shop").yaml()).contains("  clientId: shop\n")
                .doesNotContain("pet-shop");
    }
}
