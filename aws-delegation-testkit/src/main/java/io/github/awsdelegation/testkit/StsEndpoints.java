package io.github.awsdelegation.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.awsdelegation.testkit.internal.HttpExchanges;
import io.github.awsdelegation.testkit.internal.SigV4Verifier;
import io.github.awsdelegation.testkit.internal.StsError;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@link LocalSts}: the STS Query protocol (routing, faults, recording, error answers), the three
 * {@code AssumeRole*} actions through {@link AssumeRoleFlow}, GetCallerIdentity, and the console sign-in stand-in.
 */
final class StsEndpoints implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StsEndpoints.class);
    private static final String XML = "text/xml";

    private final LocalSts sts;
    private final AssumeRoleFlow flow;
    private final AssumeRoleFlow.Action<WebIdentityTokenVerifier.VerifiedToken> webIdentity;
    private final AssumeRoleFlow.Action<SamlAssertionVerifier.VerifiedAssertion> saml;
    private final AssumeRoleFlow.Action<SignedCallerVerifier.Caller> assumeRole;
    private final ConsoleSignInEndpoint consoleSignIn;

    StsEndpoints(LocalSts sts) {
        this.sts = sts;
        this.flow = new AssumeRoleFlow(sts);
        SamlAssertionVerifier samlVerifier = new SamlAssertionVerifier(sts::samlProviderByArn, sts.clock());
        this.webIdentity = StsActions.webIdentity(new WebIdentityTokenVerifier(sts::providerById, sts.clock()));
        this.saml = StsActions.saml(samlVerifier);
        this.assumeRole = StsActions.assumeRole(new SignedCallerVerifier(sts));
        this.consoleSignIn = new ConsoleSignInEndpoint(flow, samlVerifier);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        Instant time = sts.clock().instant();
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        StsRequest request = null;
        try {
            request = new StsRequest(exchange, HttpExchanges.readBody(exchange));
            String path = exchange.getRequestURI().getPath();
            if (LocalSts.CONSOLE_SIGN_IN_PATH.equals(path)) {
                consoleSignIn.handle(exchange, request); // the browser's sign-in, not an STS call: not recorded
                return;
            }
            if (!"/".equals(path)) {
                throw new StsError("NotFound", 404, "LocalSts serves the STS Query API at / only, not " + path);
            }
            if (!"POST".equals(exchange.getRequestMethod()) && !"GET".equals(exchange.getRequestMethod())) {
                throw new StsError("MethodNotAllowed", 405, "Use POST (or GET) for the STS Query API.");
            }
            String action = request.action();
            if (action == null) {
                throw new StsError("MissingAction", 400, "Missing Action");
            }
            applyFault(sts.takeFault());
            String version = request.single("Version");
            if (!LocalSts.API_VERSION.equals(version)) {
                throw new StsError("InvalidAction", 400, "Could not find operation " + action + " for version "
                        + (version == null ? "NO_VERSION_SPECIFIED" : version));
            }
            String answer = switch (action) {
                case "AssumeRoleWithWebIdentity" -> flow.run(webIdentity, request, requestId);
                case "AssumeRoleWithSAML" -> flow.run(saml, request, requestId);
                case "AssumeRole" -> flow.run(assumeRole, request, requestId);
                case "GetCallerIdentity" -> getCallerIdentity(request, requestId);
                case "GetSessionToken", "GetFederationToken", "AssumeRoot",
                        "DecodeAuthorizationMessage", "GetAccessKeyInfo", "GetWebIdentityToken", "GetDelegatedAccessToken" ->
                        throw new StsError("InvalidAction", 400, "LocalSts does not implement " + action + " yet.");
                default -> throw new StsError("InvalidAction", 400, "Could not find operation " + action
                        + " for version " + LocalSts.API_VERSION);
            };
            // Recorded before answering, so a test that got the answer also sees the call.
            sts.record(request.record(time, StsCall.SUCCESS, 200, requestId));
            HttpExchanges.send(exchange, 200, XML, answer);
        } catch (HttpExchanges.BodyTooLargeException e) {
            answerError(exchange, new StsError("RequestEntityTooLarge", 413, "Request body too large."), request, time, requestId);
        } catch (StsError e) {
            answerError(exchange, e, request, time, requestId);
        }
    }

    private void answerError(HttpExchange exchange, StsError error, StsRequest request, Instant time, String requestId)
            throws IOException {
        LOG.debug("LocalSts {} -> {} {}", request == null ? null : request.action(), error.status(), error.code());
        sts.record(request != null ? request.record(time, error.code(), error.status(), requestId)
                : new StsCall(time, null, null, null, null, null, List.of(), null, null, error.code(), error.status(),
                        requestId));
        HttpExchanges.send(exchange, error.status(), XML, StsXml.error(error.type(), error.code(), error.getMessage(), requestId));
    }

    private static void applyFault(Fault fault) {
        switch (fault.kind()) {
            case THROTTLE -> throw new StsError("Throttling", 400, "Rate exceeded");
            case UNAVAILABLE -> throw new StsError("ServiceUnavailable", 503, "Service is unavailable. Please try again later.");
            case SLOW -> {
                try {
                    Thread.sleep(fault.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StsError("ServiceUnavailable", 503, "LocalSts is shutting down.");
                }
            }
            case NONE -> {
                // Answer normally.
            }
        }
    }

    private String getCallerIdentity(StsRequest request, String requestId) {
        SigV4Verifier.Authorization authorization = SigV4Verifier.parse(request.header("Authorization"));
        request.recordedAccessKeyId = authorization.accessKeyId();
        sts.session(authorization.accessKeyId()).ifPresent(session -> {
            request.recordedRoleArn = session.roleArn();
            request.recordedSessionName = session.roleSessionName();
            request.recordedSubject = session.subject();
        });
        IssuedSession session = SignedCallerVerifier.authenticateSession(sts, request, authorization);
        return StsXml.response("GetCallerIdentity")
                .element("    ", "Arn", session.assumedRoleArn())
                .element("    ", "UserId", session.assumedRoleId())
                .element("    ", "Account", session.assumedRoleArn().split(":")[4])
                .finish("GetCallerIdentity", requestId);
    }
}
