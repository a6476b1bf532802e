package io.github.awsdelegation.it.saml;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.awsdelegation.it.Http;
import io.github.awsdelegation.it.ItConfig;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Console sign-in goes to the role's partition: a user whose rule grants roles in aws-cn is sent to China's sign-in
 * endpoint with China's audience; with {@code roleChooser: aws} the response offers every role and AWS's page asks.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsoleSignInPartitionIT {

    static final String CN_PROVIDER = "arn:aws-cn:iam::123456789012:saml-provider/pet-shop";
    static final String CN_ADMIN = "arn:aws-cn:iam::123456789012:role/pet-shop-admin";
    static final String CN_READER = "arn:aws-cn:iam::123456789012:role/pet-shop-reader";
    static final String GOV_ADMIN = "arn:aws-us-gov:iam::123456789012:role/pet-shop-admin";

    @Deployment(testable = false)
    static WebArchive partitions() {
        SamlItEnvironment env = SamlItEnvironment.get();
        return SamlItEnvironment.war("saml-partitions", env.config("console:\n  roleChooser: aws\n")
                .section("login", "{}")
                .rule("database-admins-in-china", "database",
                        ItConfig.role(CN_ADMIN).principal(CN_PROVIDER).region("cn-north-1"),
                        ItConfig.role(CN_READER).principal(CN_PROVIDER).region("cn-northwest-1"))
                .rule("buyers-in-govcloud", "social", ItConfig.role(GOV_ADMIN)
                        .principal("arn:aws-us-gov:iam::123456789012:saml-provider/pet-shop").region("us-gov-west-1")));
    }

    @ArquillianResource
    URL base;

    @Test
    @DisplayName("aws-cn roles: the POST goes to https://signin.amazonaws.cn/saml, audience China's, every role offered to AWS's chooser")
    void china() {
        HttpResponse<String> page = new Http.StepBrowser().signIn(URI.create(base + "saml/console"), ConsoleSignInIT.DATABASE_LOGIN);

        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(Http.formAction(page.body())).isEqualTo("https://signin.amazonaws.cn/saml");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("form-action https://signin.amazonaws.cn;"));
        String xml = new String(Base64.getDecoder().decode(Http.input(page.body(), "SAMLResponse")), StandardCharsets.UTF_8);
        assertThat(xml).contains("Recipient=\"https://signin.amazonaws.cn/saml\"",
                "<saml2:Audience>https://signin.amazonaws.cn/saml</saml2:Audience>",
                CN_ADMIN + "," + CN_PROVIDER, CN_READER + "," + CN_PROVIDER);
    }

    @Test
    @DisplayName("aws-us-gov roles: the POST goes to https://signin.amazonaws-us-gov.com/saml with audience urn:amazon:webservices:govcloud")
    void govCloud() {
        HttpResponse<String> page = new Http.StepBrowser().signIn(URI.create(base + "saml/console"), ConsoleSignInIT.SOCIAL_LOGIN);

        assertThat(Http.formAction(page.body())).isEqualTo("https://signin.amazonaws-us-gov.com/saml");
        String xml = new String(Base64.getDecoder().decode(Http.input(page.body(), "SAMLResponse")), StandardCharsets.UTF_8);
        assertThat(xml).contains("Recipient=\"https://signin.amazonaws-us-gov.com/saml\"",
                "<saml2:Audience>urn:amazon:webservices:govcloud</saml2:Audience>");
    }
}
