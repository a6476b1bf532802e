package io.github.awsdelegation.testkit.internal;

/**
 * An STS error answer: the {@code Code}, {@code Message} and HTTP status AWS uses, and whether the fault is the
 * sender's or the service's ({@code Type} Sender or Receiver).
 */
public final class StsError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final int status;

    /** Creates an error; the message is sent to the client, so it must never hold a token or a secret. */
    public StsError(String code, int status, String message) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
    }

    /** A 400 {@code ValidationError}. */
    public static StsError validation(String message) {
        return new StsError("ValidationError", 400, message);
    }

    /** A 400 {@code InvalidIdentityToken}. */
    public static StsError invalidIdentityToken(String message) {
        return new StsError("InvalidIdentityToken", 400, message);
    }

    /** A 403 {@code AccessDenied}. */
    public static StsError accessDenied(String message) {
        return new StsError("AccessDenied", 403, message);
    }

    /** Returns the error code, for example {@code InvalidIdentityToken}. */
    public String code() {
        return code;
    }

    /** Returns the HTTP status. */
    public int status() {
        return status;
    }

    /** Returns {@code Receiver} for 5xx answers, {@code Sender} otherwise. */
    public String type() {
        return status >= 500 ? "Receiver" : "Sender";
    }
}
