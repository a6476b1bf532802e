package io.github.awsdelegation.cli;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.awsdelegation.DelegationException;
import io.github.awsdelegation.DelegationService;
import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.config.DelegationConfigLoader;
import io.github.awsdelegation.explain.Explanation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code aws-delegation explain}: which role an app's rules give a user, and why, with the session STS would be asked
 * for — the filter's own decider and planner run on the app's configuration document, calling nothing outside (no STS;
 * the issuer's keys only to validate an {@code --id-token}). Exit status 0 when a role is granted, 3 when refused, 1 on
 * an error (docs/cli.md).
 */
@Command(name = "explain", description = "Explains which role the app's rules give a user and why, and the session STS "
        + "would be asked for: a dry run of the app's configuration that calls nothing outside.")
final class ExplainCommand implements Callable<Integer> {

    /** The exit status when the rules refuse the user. */
    static final int REFUSED = 3;

    @Option(names = "--config", required = true, description = "The app's configuration document (aws-delegation.yaml); "
            + "${NAME} in it is read from system properties and the environment, as in the app.")
    Path config;

    @Option(names = "--claims", description = "A JSON file of the user's ID token claims (sub required), taken as they are.")
    Path claims;

    @Option(names = "--id-token", description = "A file holding a real ID token, validated first (fetches the issuer's keys).")
    Path idToken;

    @Option(names = "--role", description = "The role the client asks for (name or ARN). Default: the deciding rule's default.")
    String role;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    private final PrintStream out;

    ExplainCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        if ((claims == null) == (idToken == null)) {
            throw new CliException("give the user as --claims claims.json or --id-token token-file (one of them)");
        }
        try (DelegationService service = DelegationService.create(DelegationConfigLoader.create().load(config))) {
            Explanation explanation = claims != null
                    ? service.explainer().explainClaims(readClaims(claims), role)
                    : service.explainer().explainIdToken(read(idToken).trim(), role);
            out.print(json ? explanation.toJson() + System.lineSeparator() : explanation.toText());
            out.flush();
            return explanation.granted() ? 0 : REFUSED;
        } catch (ConfigurationException e) {
            throw new CliException(config + ": " + e.getMessage(), e);
        } catch (DelegationException | IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    private static Map<String, Object> readClaims(Path file) {
        try {
            return JSONObjectUtils.parse(read(file));
        } catch (ParseException e) {
            throw new CliException(file + " is not a JSON object of claims: " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e, e);
        }
    }
}
