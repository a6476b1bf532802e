package io.github.awsdelegation.cdi;

/**
 * Thrown by {@link ExecuteApiClient} when a response body is larger than the client reads
 * ({@link ExecuteApiClient.Builder#maxResponseBytes}, in CDI {@code clients.executeApi.maxResponseBytes}); the rest of the
 * body is not read.
 */
public final class ExecuteApiResponseTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final int limit;

    /**
     * Creates the exception.
     *
     * @param what   the call, e.g. {@code GET https://abc123.execute-api.eu-west-1.amazonaws.com/prod/pets}
     * @param status the response's HTTP status
     * @param limit  the largest body the client reads, in bytes
     */
    public ExecuteApiResponseTooLargeException(String what, int status, int limit) {
        super("execute-api call " + what + " answered " + status + " with a body over the " + limit + "-byte limit; "
                + "raise clients.executeApi.maxResponseBytes (or the builder's maxResponseBytes) if the API really sends that much");
        this.status = status;
        this.limit = limit;
    }

    /** Returns the response's HTTP status. */
    public int status() {
        return status;
    }

    /** Returns the limit, in bytes. */
    public int limit() {
        return limit;
    }
}
