package io.github.awsdelegation.testkit.s3;

import io.github.awsdelegation.testkit.LocalSts;
import io.github.awsdelegation.testkit.internal.LoopbackHttpServer;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Amazon S3 on 127.0.0.1, in memory, for requests signed with credentials a {@link LocalSts} issued. The AWS
 * SDK's {@code S3Client} works against it with {@code endpointOverride(s3.endpoint())} and
 * {@code forcePathStyle(true)}; the AWS CLI with {@code --endpoint-url}.
 *
 * <p>Operations (path style, {@code /<bucket>/<key>}): ListBuckets, CreateBucket, HeadBucket, DeleteBucket,
 * PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2 and ListObjects (with {@code prefix},
 * {@code delimiter}, {@code max-keys}, {@code start-after}/{@code marker} and {@code encoding-type=url}).
 *
 * <p>Every request is authenticated like S3 does it — SigV4 (S3's canonical request, {@code aws-chunked} bodies
 * with chunk signatures), the session token, the expiration by the STS clock — and authorised with the session's
 * role permission policy intersected with its session policy, evaluated by
 * {@link io.github.awsdelegation.testkit.iam.PolicyEvaluator} (actions {@code s3:ListAllMyBuckets},
 * {@code s3:CreateBucket}, {@code s3:DeleteBucket}, {@code s3:ListBucket} with the condition keys
 * {@code s3:prefix}, {@code s3:delimiter} and {@code s3:max-keys}, {@code s3:PutObject}, {@code s3:GetObject},
 * {@code s3:DeleteObject}). Refusals answer S3's XML {@code <Error>} shapes: {@code AccessDenied} (403),
 * {@code InvalidAccessKeyId} (403), {@code InvalidToken} (400), {@code ExpiredToken} (400),
 * {@code SignatureDoesNotMatch} (403), {@code NoSuchBucket}/{@code NoSuchKey} (404).
 *
 * <p>Thread-safe. {@link #close()} stops it; connections are refused afterwards.
 */
public final class LocalS3 implements AutoCloseable {

    /** The region the local S3 answers for, unless set: {@value}. */
    public static final String DEFAULT_REGION = "us-east-1";

    private static final Logger LOG = LoggerFactory.getLogger(LocalS3.class);

    private final LocalSts sts;
    private final String region;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final List<S3Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final LoopbackHttpServer server;

    /** One stored object. */
    record StoredObject(byte[] data, String contentType, String etag, Instant lastModified) {
    }

    /** One bucket: its creation time and its objects, sorted by key. */
    record Bucket(String name, Instant created, NavigableMap<String, StoredObject> objects) {
    }

    private LocalS3(Builder builder) {
        this.sts = Objects.requireNonNull(builder.sts, "LocalS3 needs the LocalSts whose credentials it accepts");
        this.region = builder.region;
        builder.buckets.forEach(this::createBucket);
        this.server = LoopbackHttpServer.start("local-s3", builder.port, new S3Endpoints(this));
        LOG.info("LocalS3 started at {}", endpoint());
    }

    /** Returns a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the endpoint for {@code S3Client.builder().endpointOverride(...)}: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return server.uri("");
    }

    /** Returns the bound port. */
    public int port() {
        return server.port();
    }

    /** Returns the region. */
    public String region() {
        return region;
    }

    /** Returns the STS whose sessions sign the requests. */
    public LocalSts sts() {
        return sts;
    }

    /**
     * Creates a bucket as the account owner would (no request, no authorisation); does nothing if it exists.
     *
     * @throws IllegalArgumentException when the name is not a valid bucket name
     */
    public void createBucket(String name) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("LocalS3: '" + name + "' is not a valid bucket name (3-63 of a-z 0-9 . -)");
        }
        buckets.computeIfAbsent(name, n -> new Bucket(n, Instant.now(), new ConcurrentSkipListMap<>()));
    }

    /**
     * Stores an object as the account owner would (no request, no authorisation).
     *
     * @throws IllegalArgumentException when the bucket does not exist
     */
    public void putObject(String bucket, String key, byte[] data) {
        Bucket b = buckets.get(bucket);
        if (b == null) {
            throw new IllegalArgumentException("LocalS3: no bucket " + bucket);
        }
        b.objects().put(key, S3Endpoints.stored(data, "application/octet-stream"));
    }

    /** Returns the bucket names. */
    public List<String> bucketNames() {
        return buckets.keySet().stream().sorted().toList();
    }

    /** Returns the keys of a bucket, sorted; empty when there is no such bucket. */
    public List<String> keys(String bucket) {
        Bucket b = buckets.get(bucket);
        return b == null ? List.of() : List.copyOf(b.objects().keySet());
    }

    /** Returns an object's content. */
    public Optional<byte[]> object(String bucket, String key) {
        Bucket b = buckets.get(bucket);
        StoredObject o = b == null ? null : b.objects().get(key);
        return o == null ? Optional.empty() : Optional.of(o.data().clone());
    }

    /** Returns the requests answered so far, oldest first. */
    public List<S3Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Forgets the recorded requests. */
    public void resetCalls() {
        calls.clear();
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "LocalS3[endpoint=" + endpoint() + ", buckets=" + bucketNames() + "]";
    }

    Map<String, Bucket> buckets() {
        return buckets;
    }

    void record(S3Call call) {
        calls.add(call);
    }

    /** Configures and starts a {@link LocalS3}. */
    public static final class Builder {
        private LocalSts sts;
        private int port;
        private String region = DEFAULT_REGION;
        private final List<String> buckets = new ArrayList<>();

        private Builder() {
        }

        /** Sets the STS whose sessions may call this S3. Required. */
        public Builder sts(LocalSts sts) {
            this.sts = Objects.requireNonNull(sts, "sts");
            return this;
        }

        /** Sets the port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Sets the region. By default, {@value LocalS3#DEFAULT_REGION}. */
        public Builder region(String region) {
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** Creates a bucket at start, owned by the account. */
        public Builder bucket(String name) {
            buckets.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        /** Starts the S3 on 127.0.0.1. */
        public LocalS3 start() {
            return new LocalS3(this);
        }
    }
}
