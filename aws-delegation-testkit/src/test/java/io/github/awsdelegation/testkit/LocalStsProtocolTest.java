package io.github.awsdelegation.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The STS Query protocol on the wire, as a client without the SDK sees it. */
class LocalStsProtocolTest {

    private static LocalAws aws;

    @BeforeAll
    static void start() {
        aws = LocalAws.builder().start();
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    private static HttpResponse<String> post(Map<String, String> form) throws Exception {
        return TestSupport.postForm(aws.sts().endpoint().resolve("/"), form);
    }

    @Test
    void assumeRoleWithWebIdentity_success_isTheAwsXmlShape() throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Action", "AssumeRoleWithWebIdentity");
        form.put("Version", "2011-06-15");
        form.put("RoleArn", Demo.BUYER_ROLE_ARN);
        form.put("RoleSessionName", "buyer");
        form.put("WebIdentityToken", aws.identityProvider().idTokenForSocialUser(Demo.BUYER_AMAZON_ID));

        HttpResponse<String> response = post(form);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/xml");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
        assertThat(response.body())
                .startsWith("<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
                .contains("<AssumeRoleWithWebIdentityResult>", "<Credentials>", "<AccessKeyId>ASIA",
                        "<SubjectFromWebIdentityToken>amazon|amzn1.account.DEMO</SubjectFromWebIdentityToken>",
                        "<ResponseMetadata>", "<RequestId>" + response.headers().firstValue("x-amzn-RequestId").orElseThrow())
                .containsPattern("<Expiration>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ</Expiration>");
    }

    @Test
    void error_isErrorResponseWithTypeCodeMessageAndRequestId() throws Exception {
        HttpResponse<String> response = post(Map.of("Action", "AssumeRoleWithWebIdentity", "Version", "2011-06-15",
                "RoleSessionName", "s"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">")
                .contains("<Type>Sender</Type>", "<Code>ValidationError</Code>",
                        "<Message>3 validation errors detected: Value null at &#39;roleArn&#39; failed to satisfy constraint:"
                                + " Member must not be null;")
                .contains("<RequestId>" + response.headers().firstValue("x-amzn-RequestId").orElseThrow() + "</RequestId>");
    }

    @Test
    void unavailableFault_isReceiverError() throws Exception {
        aws.sts().setFault(Fault.UNAVAILABLE, 1);

        HttpResponse<String> response = post(Map.of("Action", "GetCallerIdentity", "Version", "2011-06-15"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("<Type>Receiver</Type>", "<Code>ServiceUnavailable</Code>");
        assertThat(post(Map.of("Action", "GetCallerIdentity", "Version", "2011-06-15")).body())
                .contains("<Code>MissingAuthenticationToken</Code>");
    }

    @Test
    void unknownAction_invalidAction() throws Exception {
        HttpResponse<String> response = post(Map.of("Action", "MakeMeAdmin", "Version", "2011-06-15"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("<Code>InvalidAction</Code>",
                "Could not find operation MakeMeAdmin for version 2011-06-15");
    }

    @Test
    void notYetImplementedAction_saysSo() throws Exception {
        assertThat(post(Map.of("Action", "GetSessionToken", "Version", "2011-06-15")).body())
                .contains("<Code>InvalidAction</Code>", "does not implement GetSessionToken");
    }

    @Test
    void missingVersion_invalidAction() throws Exception {
        assertThat(post(Map.of("Action", "GetCallerIdentity")).body())
                .contains("<Code>InvalidAction</Code>", "NO_VERSION_SPECIFIED");
    }

    @Test
    void missingAction_missingAction() throws Exception {
        assertThat(post(Map.of("Version", "2011-06-15")).body()).contains("<Code>MissingAction</Code>");
    }

    @Test
    void getWithQueryString_isAcceptedLikePost() throws Exception {
        HttpResponse<String> response = TestSupport.get(TestSupport.withQuery(aws.sts().endpoint().resolve("/"),
                Map.of("Action", "GetCallerIdentity", "Version", "2011-06-15")));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("<Code>MissingAuthenticationToken</Code>");
    }
}
