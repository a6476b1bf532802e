package io.github.awsdelegation.cli;

/** A failure the user can act on: its message is printed as is, without a stack trace, and the command exits 1. */
public class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with the message the user sees. */
    public CliException(String message) {
        super(message);
    }

    /** Creates the exception with the message the user sees and its cause. */
    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
