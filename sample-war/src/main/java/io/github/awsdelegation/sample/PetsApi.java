package io.github.awsdelegation.sample;

import io.github.awsdelegation.cdi.CurrentDelegation;
import io.github.awsdelegation.cdi.ExecuteApiClient;
import io.github.awsdelegation.cdi.ExecuteApiRequest;
import io.github.awsdelegation.cdi.ExecuteApiResponse;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pet shop: the pets API on API Gateway (AWS_IAM authorization), called with the user's own credentials, signed
 * with SigV4 by the injected {@link ExecuteApiClient}.
 * <ul>
 *   <li>{@code GET api/pets} lists the pets (everyone);</li>
 *   <li>{@code POST api/pets/<id>/purchase} buys one (the buyer role; the admin role adds and removes pets but may not buy);</li>
 *   <li>{@code POST api/pets} with {@code {"type":"cat","price":12.5}} adds one, {@code DELETE api/pets/<id>} removes one
 *       (the admin role).</li>
 * </ul>
 * The shop does not check the role itself: AWS does, and its refusal reaches the user as a readable 403.
 */
@WebServlet(urlPatterns = {"/api/pets", "/api/pets/*"})
public class PetsApi extends HttpServlet {

    private static final Pattern PET = Pattern.compile("/(\\d{1,9})");
    private static final Pattern PURCHASE = Pattern.compile("/(\\d{1,9})/purchase");
    private static final BigDecimal MAX_PRICE = new BigDecimal("100000");

    @Inject
    ExecuteApiClient api;

    @Inject
    CurrentDelegation aws;

    @Inject
    ShopSettings settings;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getPathInfo() != null) {
            Json.error(response, 404, "NotFound", "No such page: GET api/pets" + request.getPathInfo(), null);
            return;
        }
        call(response, ExecuteApiRequest.get(pets("pets")), "list the pets", 200);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        Matcher purchase = PURCHASE.matcher(path == null ? "" : path);
        if (path == null) {
            add(request, response);
        } else if (purchase.matches()) {
            call(response, ExecuteApiRequest.postJson(pets("pets/" + purchase.group(1) + "/purchase"), "{}"),
                    "buy pet " + purchase.group(1), 200);
        } else {
            Json.error(response, 404, "NotFound", "No such page: POST api/pets" + path, null);
        }
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Matcher pet = PET.matcher(request.getPathInfo() == null ? "" : request.getPathInfo());
        if (!pet.matches()) {
            Json.error(response, 404, "NotFound", "DELETE needs a pet: api/pets/<id>", null);
            return;
        }
        call(response, ExecuteApiRequest.builder().method("DELETE").uri(pets("pets/" + pet.group(1))).build(),
                "remove pet " + pet.group(1), 204);
    }

    private void add(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> body = Json.read(request);
        Object type = body == null ? null : body.get("type");
        Object price = body == null ? null : body.get("price");
        if (!(type instanceof String name) || name.isBlank() || name.length() > 40 || !(price instanceof Number number)) {
            Json.error(response, 400, "BadRequest", "A pet needs {\"type\": a name of 1-40 characters, \"price\": a number}", null);
            return;
        }
        BigDecimal amount = new BigDecimal(number.toString());
        if (amount.signum() <= 0 || amount.compareTo(MAX_PRICE) > 0 || amount.scale() > 2) {
            Json.error(response, 400, "BadRequest", "A pet's price is more than 0 and at most 100000, in cents at most", null);
            return;
        }
        Map<String, Object> pet = new LinkedHashMap<>();
        pet.put("type", name.strip());
        pet.put("price", amount);
        call(response, ExecuteApiRequest.postJson(pets("pets"), com.nimbusds.jose.util.JSONObjectUtils.toJSONString(pet)),
                "add a pet", 201);
    }

    private void call(HttpServletResponse response, ExecuteApiRequest request, String what, int success) throws IOException {
        ExecuteApiResponse answer;
        try {
            answer = api.send(request);
        } catch (UncheckedIOException e) {
            Json.error(response, 502, "Unreachable", "The shop could not reach the pets API at " + settings.petsApi()
                    + " to " + what + ": " + e.getCause().getMessage(), "execute-api");
            return;
        }
        if (!answer.isSuccessful()) {
            AwsDenials.petsApi(response, answer, what, aws.decision().role().roleName());
        } else if (success == 204) {
            response.setStatus(204);
        } else {
            Json.write(response, success, answer.bodyAsString());
        }
    }

    private java.net.URI pets(String path) {
        return settings.petsApi().resolve(path);
    }
}
