package io.github.awsdelegation.testkit;

import com.sun.net.httpserver.HttpExchange;
import io.github.awsdelegation.testkit.internal.Html;
import io.github.awsdelegation.testkit.internal.HttpExchanges;
import io.github.awsdelegation.testkit.internal.SecureXml;
import io.github.awsdelegation.testkit.internal.StsError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The stand-in for AWS's console sign-in endpoint ({@code https://signin.aws.amazon.com/saml}), served by
 * {@link LocalSts} at {@link LocalSts#consoleSignInUrl()}: it takes the browser's POST of {@code SAMLResponse} (and
 * {@code RelayState}) as AWS does, verifies every role the {@code Role} attribute offers exactly as
 * {@code AssumeRoleWithSAML} would (the signature with a certificate of the IAM SAML provider's metadata, the issuer,
 * the audience and recipient, the conditions' window, the attributes, then the role's trust policy), and answers a
 * page with the console session AWS would open for each: role ARN, assumed-role ARN, session name and duration. There
 * is no console on 127.0.0.1, so it stops there; nothing is issued. A refusal is a page with AWS's error code and
 * message, status 400 or 403.
 */
final class ConsoleSignInEndpoint {

    /** AWS's console default for a SAML session without a {@code SessionDuration} attribute. */
    static final Duration DEFAULT_CONSOLE_SESSION = Duration.ofHours(1);

    private final AssumeRoleFlow flow;
    private final SamlAssertionVerifier verifier;

    ConsoleSignInEndpoint(AssumeRoleFlow flow, SamlAssertionVerifier verifier) {
        this.flow = flow;
        this.verifier = verifier;
    }

    void handle(HttpExchange exchange, StsRequest request) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            page(exchange, 405, "AWS sign-in (local stand-in)", "<p class=\"refused\">Sign-in here is a POST of "
                    + "<code>SAMLResponse</code> (SAML HTTP POST binding), as the app's console sign-in page sends it.</p>");
            return;
        }
        String encoded = request.single("SAMLResponse");
        if (encoded == null || encoded.isBlank()) {
            refused(exchange, new StsError("InvalidIdentityToken", 400, "No SAMLResponse in the form."));
            return;
        }
        List<Map.Entry<String, String>> offered;
        List<String> sessions = new ArrayList<>();
        try {
            offered = offeredRoles(encoded);
            if (offered.isEmpty()) {
                throw StsError.invalidIdentityToken("Your request included an invalid SAML response: it has no "
                        + "https://aws.amazon.com/SAML/Attributes/Role attribute with a role and provider pair.");
            }
            for (Map.Entry<String, String> pair : offered) {
                sessions.add(session(encoded, pair.getKey(), pair.getValue()));
            }
        } catch (StsError e) {
            refused(exchange, e);
            return;
        }
        String relayState = request.single("RelayState");
        StringBuilder body = new StringBuilder()
                .append("<p class=\"verified\">The SAML response verified as AWS verifies it: signed with a certificate of the ")
                .append("app's metadata (the IAM SAML provider), issuer, audience and recipient ")
                .append("<code>https://signin.aws.amazon.com/saml</code>, conditions in their window, the Role attribute, and ")
                .append("the role's trust policy.</p>")
                .append(offered.size() == 1 ? "<p>AWS would open this console session:</p>"
                        : "<p>AWS would ask which role to use, offering these console sessions:</p>")
                .append(String.join("", sessions))
                .append("<p>It would then open ").append(relayState == null || relayState.isBlank()
                        ? "the console's home page" : "<code>" + Html.escape(relayState) + "</code>")
                .append(". This is the testkit's stand-in for <code>https://signin.aws.amazon.com/saml</code>: there is no ")
                .append("console on 127.0.0.1, so it stops here and issues nothing.</p>");
        page(exchange, 200, "AWS console sign-in (local stand-in)", body.toString());
    }

    // The proof, role, trust and duration steps of AssumeRoleWithSAML; nothing is minted.
    private String session(String encoded, String roleArn, String principalArn) {
        SamlAssertionVerifier.VerifiedAssertion verified = verifier.verify(encoded, roleArn, principalArn);
        AssumeRoleFlow.Plan plan = flow.plan(verified, "sts:AssumeRoleWithSAML", roleArn, null, null,
                DEFAULT_CONSOLE_SESSION);
        Duration duration = plan.duration();
        String assumedRoleArn = plan.assumedRoleArn();
        StringBuilder out = new StringBuilder("<section class=\"session\"><dl>")
                .append(row("Role", "role-arn", roleArn))
                .append(row("Signed in as", "assumed-role-arn", assumedRoleArn))
                .append(row("Session name", "session-name", verified.roleSessionName()))
                .append(row("Session duration", "session-duration", human(duration)))
                .append(row("SAML provider", "principal-arn", principalArn))
                .append(row("Subject", "subject", verified.subject()));
        if (verified.sourceIdentity() != null) {
            out.append(row("Source identity", "source-identity", verified.sourceIdentity()));
        }
        verified.tags().forEach((key, value) -> out.append(row("Session tag " + key, "tag", value)));
        return out.append("</dl></section>").toString();
    }

    /**
     * Returns the {@code RoleArn,PrincipalArn} pairs the response's {@code Role} attribute offers, before any check:
     * what AWS's console sign-in page would offer, each of which the console stand-in then verifies with
     * {@link SamlAssertionVerifier#verify}. A value that is not such a pair is skipped; {@link SamlAssertionVerifier#verify} names the problem.
     */
    static List<Map.Entry<String, String>> offeredRoles(String encoded) {
        Document doc = SamlAssertionVerifier.parse(encoded);
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        NodeList attributes = doc.getElementsByTagNameNS(SamlAssertionVerifier.ASSERTION_NS, "Attribute");
        for (int i = 0; i < attributes.getLength(); i++) {
            Element attribute = (Element) attributes.item(i);
            if (!(SamlAssertionVerifier.ATTRIBUTES + "Role").equals(attribute.getAttribute("Name"))) {
                continue;
            }
            for (Element value : SecureXml.children(attribute, SamlAssertionVerifier.ASSERTION_NS, "AttributeValue")) {
                String[] parts = String.valueOf(SecureXml.text(value)).split(",");
                if (parts.length != 2) {
                    continue;
                }
                String first = parts[0].trim();
                String second = parts[1].trim();
                pairs.add(first.contains(":saml-provider/") ? Map.entry(second, first) : Map.entry(first, second));
            }
        }
        return pairs;
    }

    private static String row(String label, String id, String value) {
        return "<dt>" + Html.escape(label) + "</dt><dd class=\"" + id + "\">" + Html.escape(value) + "</dd>";
    }

    private static String human(Duration d) {
        long hours = d.toHours();
        long minutes = d.toMinutesPart();
        String text = hours > 0 ? hours + " h" + (minutes > 0 ? " " + minutes + " min" : "") : d.toMinutes() + " min";
        return text + " (" + d.toSeconds() + " s)";
    }

    private static void refused(HttpExchange exchange, StsError e) throws IOException {
        page(exchange, e.status(), "AWS sign-in refused (local stand-in)", "<p class=\"refused\">AWS would refuse this sign-in: <code>"
                + Html.escape(e.code()) + "</code> " + Html.escape(e.getMessage()) + "</p>");
    }

    private static void page(HttpExchange exchange, int status, String title, String body) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "
                + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.escape(title) + "</title>"
                + "<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:46rem;color:#1d2330}"
                + ".banner{background:#232f3e;color:#fff;padding:.6rem 1rem;border-radius:6px}"
                + "dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:600}"
                + "dd{margin:0;font-family:ui-monospace,monospace;overflow-wrap:anywhere}"
                + ".refused{background:#fdecea;color:#611a15;padding:.8rem 1rem;border-radius:8px}"
                + ".verified{background:#e6f4ea;color:#1e4620;padding:.8rem 1rem;border-radius:8px}</style></head><body>"
                + "<p class=\"banner\">Local stand-in for AWS console sign-in (aws-delegation-testkit) — not AWS</p>"
                + "<h1>" + Html.escape(title) + "</h1>" + body + "</body></html>";
        HttpExchanges.send(exchange, status, "text/html;charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }
}
