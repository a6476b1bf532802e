package io.github.awsdelegation.testkit.apigateway;

import io.github.awsdelegation.testkit.LocalSts;
import io.github.awsdelegation.testkit.internal.LoopbackHttpServer;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Amazon API Gateway {@code execute-api} endpoint on 127.0.0.1 serving the pet shop's small REST API with
 * IAM authorisation ({@code AWS_IAM}), for requests signed (SigV4, service {@code execute-api}) with credentials a
 * {@link LocalSts} issued — for example with the AWS SDK's {@code AwsV4HttpSigner}.
 *
 * <p>Routes, under the stage ({@code <endpoint>} = {@code http://127.0.0.1:<port>/<stage>}):
 * <ul>
 *   <li>{@code GET /pets} — lists the pets: {@code {"pets":[{"id":1,"type":"dog","price":249.99,"owner":null}]}};</li>
 *   <li>{@code POST /pets} with {@code {"type":"cat","price":12.5}} — adds a pet (201, the new pet);</li>
 *   <li>{@code DELETE /pets/<id>} — removes a pet (204; 404 when there is none);</li>
 *   <li>{@code POST /pets/<id>/purchase} — buys a pet for the caller (200, the pet with its new owner; 409 when it is
 *       sold already).</li>
 * </ul>
 * Each request is authenticated (signature, session token, expiration) and authorised as API Gateway does for
 * {@code AWS_IAM}: action {@code execute-api:Invoke} on
 * {@code arn:aws:execute-api:<region>:<account>:<api id>/<stage>/<METHOD>/<path>}, evaluated against the session's
 * role permission policy intersected with its session policy. Refusals answer API Gateway's shapes: 403
 * {@code {"Message":"User: <assumed-role ARN> is not authorized to perform: execute-api:Invoke on resource: <ARN>"}}
 * with {@code x-amzn-ErrorType: AccessDeniedException}, and 403 {@code {"message":...}} with
 * {@code MissingAuthenticationTokenException}, {@code UnrecognizedClientException}, {@code InvalidSignatureException}
 * or {@code ExpiredTokenException}.
 *
 * <p>Thread-safe; {@link #close()} stops it.
 */
public final class LocalPetsApi implements AutoCloseable {

    /** The default API id: {@value}. */
    public static final String DEFAULT_API_ID = "petshop001";
    /** The default stage: {@value}. */
    public static final String DEFAULT_STAGE = "prod";
    /** The default region: {@value}. */
    public static final String DEFAULT_REGION = "us-east-1";

    private static final Logger LOG = LoggerFactory.getLogger(LocalPetsApi.class);

    private final LocalSts sts;
    private final String apiId;
    private final String stage;
    private final String region;
    private final Map<Integer, Pet> pets = new ConcurrentSkipListMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final List<String> decisions = Collections.synchronizedList(new ArrayList<>());
    private final LoopbackHttpServer server;

    /**
     * A pet of the shop.
     *
     * @param id    its number
     * @param type  what it is, e.g. {@code dog}
     * @param price its price in dollars
     * @param owner who bought it (the buyer's subject, or assumed-role id when the session has none), or null
     */
    public record Pet(int id, String type, BigDecimal price, String owner) {
    }

    private LocalPetsApi(Builder builder) {
        this.sts = Objects.requireNonNull(builder.sts, "LocalPetsApi needs the LocalSts whose credentials it accepts");
        this.apiId = builder.apiId;
        this.stage = builder.stage;
        this.region = builder.region;
        builder.pets.forEach(p -> addPet(p.type(), p.price()));
        this.server = LoopbackHttpServer.start("local-pets-api", builder.port, new PetsApiEndpoints(this));
        LOG.info("LocalPetsApi started at {}", endpoint());
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the invoke URL of the stage: {@code http://127.0.0.1:<port>/<stage>}. */
    public URI endpoint() {
        return server.uri("/" + stage);
    }

    /** Returns the bound port. */
    public int port() {
        return server.port();
    }

    /** Returns the API id. */
    public String apiId() {
        return apiId;
    }

    /** Returns the stage. */
    public String stage() {
        return stage;
    }

    /** Returns the region requests must be signed for. */
    public String region() {
        return region;
    }

    /** Returns the STS whose sessions may call the API. */
    public LocalSts sts() {
        return sts;
    }

    /**
     * Returns the ARN IAM policies name a route by, e.g. {@code arn:aws:execute-api:us-east-1:123456789012:petshop001/prod/GET/pets}.
     *
     * @param method the HTTP method
     * @param path   the path under the stage, e.g. {@code /pets/1/purchase}
     */
    public String routeArn(String method, String path) {
        return "arn:aws:execute-api:" + region + ":" + sts.accountId() + ":" + apiId + "/" + stage + "/" + method
                + (path.startsWith("/") ? path : "/" + path);
    }

    /** Adds a pet as the shop's owner would (no request, no authorisation) and returns it. */
    public Pet addPet(String type, BigDecimal price) {
        Pet pet = new Pet(nextId.getAndIncrement(), Objects.requireNonNull(type, "type"), Objects.requireNonNull(price, "price"),
                null);
        pets.put(pet.id(), pet);
        return pet;
    }

    /** Returns the pets, by id. */
    public List<Pet> pets() {
        return List.copyOf(pets.values());
    }

    /** Returns a pet. */
    public Optional<Pet> pet(int id) {
        return Optional.ofNullable(pets.get(id));
    }

    /** Returns the authorisation decisions so far ("ALLOWED ...", "IMPLICIT_DENY ..."), oldest first. */
    public List<String> decisions() {
        synchronized (decisions) {
            return List.copyOf(decisions);
        }
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "LocalPetsApi[endpoint=" + endpoint() + ", api=" + apiId + ", pets=" + pets.size() + "]";
    }

    Map<Integer, Pet> petMap() {
        return pets;
    }

    Pet newPet(String type, BigDecimal price) {
        return new Pet(nextId.getAndIncrement(), type, price, null);
    }

    void recordDecision(String decision) {
        decisions.add(decision);
    }

    /** Configures and starts a {@link LocalPetsApi}. */
    public static final class Builder {
        private LocalSts sts;
        private int port;
        private String apiId = DEFAULT_API_ID;
        private String stage = DEFAULT_STAGE;
        private String region = DEFAULT_REGION;
        private final List<Pet> pets = new ArrayList<>();

        private Builder() {
        }

        /** Sets the STS whose sessions may call the API. Required. */
        public Builder sts(LocalSts sts) {
            this.sts = Objects.requireNonNull(sts, "sts");
            return this;
        }

        /** Sets the port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Sets the API id (10 lower-case letters or digits). By default, {@value LocalPetsApi#DEFAULT_API_ID}. */
        public Builder apiId(String apiId) {
            if (apiId == null || !apiId.matches("[a-z0-9]{10}")) {
                throw new IllegalArgumentException("LocalPetsApi apiId must be 10 lower-case letters or digits, got '" + apiId + "'");
            }
            this.apiId = apiId;
            return this;
        }

        /** Sets the stage. By default, {@value LocalPetsApi#DEFAULT_STAGE}. */
        public Builder stage(String stage) {
            if (stage == null || !stage.matches("[A-Za-z0-9_-]{1,128}")) {
                throw new IllegalArgumentException("LocalPetsApi stage must be 1-128 of [A-Za-z0-9_-], got '" + stage + "'");
            }
            this.stage = stage;
            return this;
        }

        /** Sets the region. By default, {@value LocalPetsApi#DEFAULT_REGION}. */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** Adds a pet at start. */
        public Builder pet(String type, BigDecimal price) {
            pets.add(new Pet(0, type, price, null));
            return this;
        }

        /** Starts the API on 127.0.0.1. */
        public LocalPetsApi start() {
            return new LocalPetsApi(this);
        }
    }
}
