package io.github.awsdelegation.config;

import io.github.awsdelegation.config.internal.Document;
import io.github.awsdelegation.config.internal.Interpolation;
import io.github.awsdelegation.config.internal.YamlBinder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a {@link DelegationConfig} from a YAML document. Every key is documented in
 * {@code docs/configuration.md}; an unknown key, a missing required key or a bad value fails with a
 * {@link ConfigurationException} naming the full key (e.g. {@code rules[0].roles[1].arn}) and the fix.
 *
 * <p>The document is read in three steps: SnakeYAML Engine loads the tree; {@code ${NAME}} and
 * {@code ${NAME:-default}} are replaced in every value by a Java system property or, failing that, an environment
 * variable, in one pass that leaves the per-user variables ({@code ${sub}}, {@code ${email}}, ...) of the fields
 * the model marks as per-user templates (session policies, tags, source identities); then the tree is bound onto
 * the model's records, each of which checks itself.
 */
public final class DelegationConfigLoader {

    private final Interpolation interpolation;
    private final ClassLoader classLoader;

    private DelegationConfigLoader(Interpolation interpolation, ClassLoader classLoader) {
        this.interpolation = interpolation;
        this.classLoader = classLoader;
    }

    /** Returns a loader that interpolates from system properties and the environment. */
    public static DelegationConfigLoader create() {
        return new DelegationConfigLoader(Interpolation.ofSystem(), Thread.currentThread().getContextClassLoader());
    }

    /** Returns a loader with explicit variables, for tests. */
    public static DelegationConfigLoader withVariables(Map<String, String> variables) {
        return new DelegationConfigLoader(new Interpolation(variables::get, name -> null),
                Thread.currentThread().getContextClassLoader());
    }

    /** Reads and validates the document at the path. */
    public DelegationConfig load(Path path) {
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigurationException("config", "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads and validates a YAML document. */
    public DelegationConfig parse(String yaml) {
        Object tree;
        try {
            tree = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).setMaxAliasesForCollections(10)
                    .setLabel("aws-delegation configuration").build()).loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new ConfigurationException("config", "not valid YAML: " + e.getMessage(), e);
        }
        if (!(tree instanceof Map)) {
            throw new ConfigurationException("config", "the document must be a YAML mapping with oidc, sts and rules");
        }
        return YamlBinder.bind(interpolation.resolve(tree, Document.class), Document.class, "").config(classLoader);
    }
}
