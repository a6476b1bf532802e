package io.github.awsdelegation.internal;

/**
 * An {@link IllegalArgumentException} that names the setting at fault, so that the configuration binder can name
 * the full key of the document ({@code rules[0].roles[1].managedPolicies}) without reading the message.
 */
public class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String setting;

    /**
     * Creates the exception.
     *
     * @param setting the setting at fault, as the configuration document names it (e.g. {@code managedPolicies})
     * @param message what is wrong and how to fix it
     */
    public InvalidSettingException(String setting, String message) {
        super(message);
        this.setting = setting;
    }

    /**
     * Creates the exception with its cause.
     *
     * @param setting the setting at fault
     * @param message what is wrong and how to fix it
     * @param cause   the cause
     */
    public InvalidSettingException(String setting, String message, Throwable cause) {
        super(message, cause);
        this.setting = setting;
    }

    /** Returns the setting at fault, as the configuration document names it. */
    public String setting() {
        return setting;
    }

    /** Returns the message without a leading {@code "<setting>: "}, for a message that names the key itself. */
    public String detail() {
        String prefix = setting + ": ";
        return getMessage().startsWith(prefix) ? getMessage().substring(prefix.length()) : getMessage();
    }
}
