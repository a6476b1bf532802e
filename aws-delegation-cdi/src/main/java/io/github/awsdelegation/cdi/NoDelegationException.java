package io.github.awsdelegation.cdi;

/**
 * Thrown when code asks for the current user's AWS delegation where there is none: outside an HTTP request
 * (a background thread, a timer, start-up code), or in a request the aws-delegation filter did not handle
 * (a path it is not mapped to, or one of its public paths). The message says which, and what to change.
 *
 * <p>It means the app uses the beans where they cannot work, so it is an {@link IllegalStateException}
 * (a 500 if it escapes), not a refusal of the user; {@link RequiresAwsRole} turns the same situation into
 * a 403.
 */
public class NoDelegationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says why there is no delegation and what to change. */
    public NoDelegationException(String message) {
        super(message);
    }

    /** Creates the exception with a message and the container's own error. */
    public NoDelegationException(String message, Throwable cause) {
        super(message, cause);
    }

    static NoDelegationException outsideRequest(Throwable cause) {
        return new NoDelegationException("no AWS delegation: no HTTP request is active on this thread (a background "
                + "thread, a timer or start-up code?); the current user's AWS credentials exist only while the "
                + "aws-delegation filter handles that user's request", cause);
    }

    static NoDelegationException notCovered(String path) {
        return new NoDelegationException("no AWS delegation for this request to " + path + ": the aws-delegation filter "
                + "is not mapped to this path, or lets it through as a public path (request.publicPaths); map the filter "
                + "to it, or use the current user's AWS beans only on paths the filter covers");
    }

    static NoDelegationException filterMissing(String path) {
        return new NoDelegationException("no AWS delegation for this request to " + path + ": the aws-delegation filter "
                + "is not set up in this web app; declare io.github.awsdelegation.servlet.AwsDelegationFilter in web.xml "
                + "(see README.md)");
    }
}
