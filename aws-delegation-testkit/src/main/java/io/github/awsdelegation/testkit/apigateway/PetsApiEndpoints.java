package io.github.awsdelegation.testkit.apigateway;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.github.awsdelegation.testkit.IssuedSession;
import io.github.awsdelegation.testkit.iam.PolicyEvaluator;
import io.github.awsdelegation.testkit.internal.HttpExchanges;
import io.github.awsdelegation.testkit.internal.SessionRequests;
import io.github.awsdelegation.testkit.internal.SigV4Verifier;
import io.github.awsdelegation.testkit.internal.StsError;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP side of {@link LocalPetsApi}: IAM-authorised routes with API Gateway's answers. */
final class PetsApiEndpoints implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(PetsApiEndpoints.class);
    private static final String JSON = "application/json";
    private static final Pattern PET = Pattern.compile("/pets/(\\d{1,9})");
    private static final Pattern PURCHASE = Pattern.compile("/pets/(\\d{1,9})/purchase");

    private final LocalPetsApi api;

    PetsApiEndpoints(LocalPetsApi api) {
        this.api = api;
    }

    /** An API Gateway error answer: status, {@code x-amzn-ErrorType} and JSON body. */
    private static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String type;
        final String field;

        ApiError(int status, String type, String field, String message) {
            super(message, null, false, false);
            this.status = status;
            this.type = type;
            this.field = field;
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        try {
            byte[] body = HttpExchanges.readBody(exchange);
            String path = exchange.getRequestURI().getPath();
            String stagePrefix = "/" + api.stage();
            if (path == null || !(path.equals(stagePrefix) || path.startsWith(stagePrefix + "/"))) {
                throw new ApiError(403, "MissingAuthenticationTokenException", "message", "Missing Authentication Token");
            }
            String route = path.substring(stagePrefix.length());
            String method = exchange.getRequestMethod();
            IssuedSession session = authenticate(exchange, body);
            String resource = api.routeArn(method, route.isEmpty() ? "/" : route);
            PolicyEvaluator.Decision decision = SessionRequests.authorize(api.sts(), session, "execute-api:Invoke", resource,
                    Map.of());
            api.recordDecision(decision.outcome() + " " + method + " " + route + " for " + session.assumedRoleArn() + ": "
                    + decision.reason());
            if (!decision.allowed()) {
                LOG.info("LocalPetsApi denies {} {} to {}: {}", method, route, session.assumedRoleArn(), decision.reason());
                throw new ApiError(403, "AccessDeniedException", "Message", "User: " + session.assumedRoleArn()
                        + " is not authorized to perform: execute-api:Invoke on resource: " + resource
                        + (decision.outcome() == PolicyEvaluator.Outcome.EXPLICIT_DENY ? " with an explicit deny" : ""));
            }
            route(exchange, method, route, body, session);
        } catch (HttpExchanges.BodyTooLargeException e) {
            send(exchange, new ApiError(413, "RequestEntityTooLargeException", "message", "Request Too Long"));
        } catch (ApiError e) {
            send(exchange, e);
        }
    }

    private IssuedSession authenticate(HttpExchange exchange, byte[] body) {
        try {
            SigV4Verifier.Authorization authorization = SigV4Verifier.parse(exchange.getRequestHeaders().getFirst("Authorization"));
            if (!api.region().equals(authorization.region())) {
                throw new ApiError(403, "InvalidSignatureException", "message", "Credential should be scoped to a valid"
                        + " region. ");
            }
            return SessionRequests.authenticate(api.sts(), exchange, body, "execute-api", false).session();
        } catch (StsError e) {
            throw switch (e.code()) {
                case SessionRequests.MISSING_AUTHENTICATION -> new ApiError(403, "MissingAuthenticationTokenException",
                        "message", "Missing Authentication Token");
                case SessionRequests.UNKNOWN_ACCESS_KEY, SessionRequests.INVALID_TOKEN -> new ApiError(403,
                        "UnrecognizedClientException", "message", "The security token included in the request is invalid.");
                case SessionRequests.EXPIRED_TOKEN -> new ApiError(403, "ExpiredTokenException", "message",
                        "The security token included in the request is expired");
                case "IncompleteSignature" -> new ApiError(403, "IncompleteSignatureException", "message", e.getMessage());
                default -> new ApiError(403, "InvalidSignatureException", "message", e.getMessage());
            };
        }
    }

    private void route(HttpExchange exchange, String method, String route, byte[] body, IssuedSession session)
            throws IOException {
        Matcher pet = PET.matcher(route);
        Matcher purchase = PURCHASE.matcher(route);
        if (route.equals("/pets") && method.equals("GET")) {
            List<Object> list = new ArrayList<>();
            api.petMap().values().forEach(p -> list.add(json(p)));
            HttpExchanges.send(exchange, 200, JSON, JSONObjectUtils.toJSONString(Map.of("pets", list)));
        } else if (route.equals("/pets") && method.equals("POST")) {
            Map<String, Object> input;
            try {
                input = JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
            } catch (ParseException e) {
                throw new ApiError(400, "BadRequestException", "message", "Invalid request body: not a JSON object");
            }
            if (!(input.get("type") instanceof String type) || type.isBlank() || !(input.get("price") instanceof Number price)) {
                throw new ApiError(400, "BadRequestException", "message", "Invalid request body: give \"type\" (a string)"
                        + " and \"price\" (a number)");
            }
            LocalPetsApi.Pet created = api.newPet(type, new BigDecimal(price.toString()));
            api.petMap().put(created.id(), created);
            HttpExchanges.send(exchange, 201, JSON, JSONObjectUtils.toJSONString(json(created)));
        } else if (pet.matches() && method.equals("DELETE")) {
            if (api.petMap().remove(Integer.parseInt(pet.group(1))) == null) {
                throw new ApiError(404, "NotFoundException", "message", "No pet " + pet.group(1));
            }
            exchange.sendResponseHeaders(204, -1);
        } else if (purchase.matches() && method.equals("POST")) {
            int id = Integer.parseInt(purchase.group(1));
            String owner = session.subject() != null ? session.subject() : session.assumedRoleId();
            LocalPetsApi.Pet[] bought = new LocalPetsApi.Pet[1];
            boolean[] sold = new boolean[1];
            api.petMap().computeIfPresent(id, (k, p) -> {
                if (p.owner() != null) {
                    sold[0] = true;
                    return p;
                }
                bought[0] = new LocalPetsApi.Pet(p.id(), p.type(), p.price(), owner);
                return bought[0];
            });
            if (sold[0]) {
                throw new ApiError(409, "ConflictException", "message", "Pet " + id + " is sold already");
            }
            if (bought[0] == null) {
                throw new ApiError(404, "NotFoundException", "message", "No pet " + id);
            }
            HttpExchanges.send(exchange, 200, JSON, JSONObjectUtils.toJSONString(json(bought[0])));
        } else {
            throw new ApiError(404, "NotFoundException", "message", "No route " + method + " " + route);
        }
    }

    private static Map<String, Object> json(LocalPetsApi.Pet pet) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", pet.id());
        out.put("type", pet.type());
        out.put("price", pet.price());
        out.put("owner", pet.owner());
        return out;
    }

    private static void send(HttpExchange exchange, ApiError error) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", error.type);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(error.field, error.getMessage());
        HttpExchanges.send(exchange, error.status, JSON, JSONObjectUtils.toJSONString(body));
    }
}
