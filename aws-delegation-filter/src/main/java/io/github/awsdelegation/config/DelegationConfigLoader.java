package io.github.awsdelegation.config;

import io.github.awsdelegation.role.DeclarativeRule;
import io.github.awsdelegation.role.RoleGrant;
import io.github.awsdelegation.role.RoleRule;
import io.github.awsdelegation.role.RulePlaceholder;
import io.github.awsdelegation.role.RoleScope;
import io.github.awsdelegation.scope.ScopeConfigurationException;
import io.github.awsdelegation.scope.SessionPolicyTemplate;
import io.github.awsdelegation.scope.SessionScopeTemplate;
import io.github.awsdelegation.sts.Partition;
import io.github.awsdelegation.sts.StsSettings;
import io.github.awsdelegation.token.ConnectionResolver;
import io.github.awsdelegation.token.ConnectionType;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Reads a {@link DelegationConfig} from a YAML document. Every key is documented in
 * {@code docs/configuration.md}; an unknown key, a missing required key or a bad value fails with a
 * {@link ConfigurationException} naming the key and the fix.
 *
 * <p>{@code ${NAME}} and {@code ${NAME:-default}} are replaced in every value by a Java system property
 * or, failing that, an environment variable. In session policies, the per-user variables
 * ({@code ${sub}}, {@code ${email}}, ...) and IAM's own variables are left for later.
 */
public final class DelegationConfigLoader {

    private static final Logger LOG = LoggerFactory.getLogger(DelegationConfigLoader.class);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

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
        return new DelegationConfigLoader(new Interpolation(variables::get, Map.of()),
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
        Object document;
        try {
            document = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).setMaxAliasesForCollections(10)
                    .setLabel("aws-delegation configuration").build()).loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new ConfigurationException("config", "not valid YAML: " + e.getMessage(), e);
        }
        if (!(document instanceof Map)) {
            throw new ConfigurationException("config", "the document must be a YAML mapping with oidc, sts and rules");
        }
        Section root = new Section("", asMap(document, "config"));
        DelegationConfig.Builder builder = DelegationConfig.builder();

        Section oidc = root.section("oidc", true);
        OidcSettings.Builder oidcSettings = OidcSettings.builder(oidc.uri("issuer", true), oidc.string("clientId", true));
        oidcSettings.trustedAudiences(oidc.strings("trustedAudiences"));
        List<String> algorithms = oidc.strings("algorithms");
        if (!algorithms.isEmpty()) {
            oidcSettings.algorithms(algorithms);
        }
        oidc.durationIfPresent("clockSkew", oidcSettings::clockSkew);
        oidc.durationIfPresent("maxTokenAge", oidcSettings::maxTokenAge);
        String groups = oidc.string("groupsClaim", false);
        if (groups != null) {
            oidcSettings.groupsClaim(groups);
        }
        oidcSettings.requireVerifiedEmail(oidc.bool("requireVerifiedEmail", io.github.awsdelegation.token.IdTokenValidator.DEFAULT_REQUIRE_VERIFIED_EMAIL));
        oidc.durationIfPresent("connectTimeout", oidcSettings::connectTimeout);
        oidc.durationIfPresent("readTimeout", oidcSettings::readTimeout);
        oidc.durationIfPresent("jwksCacheTimeToLive", oidcSettings::jwksCacheTimeToLive);
        oidc.durationIfPresent("discoveryRetryInterval", oidcSettings::discoveryRetryInterval);
        Integer tokenCache = oidc.integer("validatedTokenCacheSize");
        if (tokenCache != null) {
            oidcSettings.validatedTokenCacheSize(tokenCache);
        }
        Section connection = oidc.section("connection", false);
        if (connection != null) {
            oidcSettings.connectionResolver(connectionResolver(connection));
            connection.done();
        }
        builder.oidc(oidcSettings.build());
        oidc.done();

        Section sts = root.section("sts", true);
        String region = sts.string("region", true);
        if (!Region.regions().contains(Region.of(region))) {
            throw new ConfigurationException(sts.key("region"), "'" + region + "' is not an AWS region known to the AWS SDK");
        }
        StsSettings.Builder stsSettings = StsSettings.builder().region(Region.of(region));
        URI endpoint = sts.uri("endpoint", false);
        if (endpoint != null) {
            stsSettings.endpointOverride(endpoint);
        }
        sts.durationIfPresent("callTimeout", stsSettings::callTimeout);
        sts.durationIfPresent("attemptTimeout", stsSettings::attemptTimeout);
        sts.durationIfPresent("retryAfter", stsSettings::retryAfter);
        Integer attempts = sts.integer("maxAttempts");
        if (attempts != null) {
            stsSettings.maxAttempts(attempts);
        }
        sts.durationIfPresent("sessionDuration", stsSettings::sessionDuration);
        Section credentials = sts.section("credentials", false);
        if (credentials != null) {
            // The app's own AWS credentials, for roles with issuer: assume-role; write them as ${VARIABLES}.
            String accessKeyId = credentials.string("accessKeyId", true);
            String secretAccessKey = credentials.string("secretAccessKey", true);
            String sessionToken = credentials.string("sessionToken", false);
            stsSettings.credentials(StaticCredentialsProvider.create(sessionToken == null
                    ? AwsBasicCredentials.create(accessKeyId, secretAccessKey)
                    : AwsSessionCredentials.create(accessKeyId, secretAccessKey, sessionToken)));
            credentials.done();
        }
        try {
            builder.sts(stsSettings.build());
        } catch (ConfigurationException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("sts", e.getMessage(), e);
        }
        sts.done();

        Section cache = root.section("cache", false);
        if (cache != null) {
            Duration refreshAhead = cache.duration("refreshAhead");
            Integer max = cache.integer("maximumSize");
            builder.cache(new CacheSettings(refreshAhead == null ? CacheSettings.DEFAULT_REFRESH_AHEAD : refreshAhead,
                    max == null ? CacheSettings.DEFAULT_MAXIMUM_SIZE : max));
            cache.done();
        }

        Section request = root.section("request", false);
        if (request != null) {
            RequestSettings d = RequestSettings.defaults();
            builder.request(new RequestSettings(
                    request.stringOr("sessionAttribute", d.sessionAttribute()),
                    request.bool("bearer", d.bearer()),
                    request.stringOr("roleHeader", d.roleHeader()),
                    request.stringOr("roleParameter", d.roleParameter()),
                    publicPaths(request),
                    origins(request, "allowedOrigins")));
            request.done();
        }

        Section login = root.section("login", false);
        if (login != null) {
            if (login.bool("enabled", true)) {
                builder.login(new LoginSettings(
                        login.string("clientSecret", false),
                        login.path("loginPath", "/login"),
                        login.path("callbackPath", "/callback"),
                        login.path("logoutPath", "/logout"),
                        login.uri("redirectUri", false),
                        login.strings("scopes").isEmpty() ? List.of("openid", "profile", "email") : login.strings("scopes"),
                        login.path("afterLogin", "/"),
                        login.path("afterLogout", "/"),
                        login.bool("redirectBrowsers", true),
                        positive(login, "idleTimeout"),
                        positive(login, "maxAge"),
                        login.bool("offlineAccess", false)));
            } else {
                login.consumeAll();
            }
            login.done();
        }

        Section clients = root.section("clients", false);
        if (clients != null) {
            URI s3Endpoint = null;
            boolean s3PathStyle = false;
            Section s3 = clients.section("s3", false);
            if (s3 != null) {
                s3Endpoint = s3.uri("endpoint", false);
                s3PathStyle = s3.bool("pathStyle", false);
                s3.done();
            }
            int maxResponseBytes = ClientSettings.DEFAULT_EXECUTE_API_MAX_RESPONSE_BYTES;
            Section executeApi = clients.section("executeApi", false);
            if (executeApi != null) {
                Integer max = executeApi.integer("maxResponseBytes");
                if (max != null) {
                    maxResponseBytes = max;
                }
                executeApi.done();
            }
            builder.clients(new ClientSettings(s3Endpoint, s3PathStyle, maxResponseBytes));
            clients.done();
        }

        Section saml = root.section("saml", false);
        if (saml != null) {
            SamlConfigReader.Result samlConfig = SamlConfigReader.read(saml, classLoader);
            builder.saml(samlConfig.settings(), samlConfig.endpoints());
            saml.done();
        }

        builder.rules(rules(root));
        root.done();
        return builder.build();
    }

    private ConnectionResolver connectionResolver(Section connection) {
        if (connection.has("default")) {
            // Its old meaning (every unlisted name, a newly added provider's too, gets this type) gave
            // admin roles away; a key that silently changed meaning would be worse than one that fails.
            throw new ConfigurationException(connection.key("default"), "is no longer accepted: it gave every connection"
                    + " not listed under types, including providers added later, that type. List every connection under "
                    + connection.key("types") + "; use " + connection.key("absent") + " for tokens without the claim"
                    + " (Keycloak's realm users: absent: database); only if you must, write an explicit catch-all "
                    + connection.key("unlisted") + " (see docs/providers.md)");
        }
        String claim = connection.string("claim", false);
        Map<String, ConnectionType> types = connectionTypes(connection);
        String absent = connection.string("absent", false);
        String unlisted = connection.string("unlisted", false);
        String nameClaim = connection.string("nameClaim", false);
        if (claim == null) {
            if (absent != null || unlisted != null) {
                throw new ConfigurationException(connection.key(absent != null ? "absent" : "unlisted"), "only applies with "
                        + connection.key("claim") + "; with Auth0 subject prefixes an unknown prefix is always unknown");
            }
            try {
                return types.isEmpty() && nameClaim == null ? ConnectionResolver.auth0()
                        : ConnectionResolver.auth0(nameClaim, types);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(connection.key("types"), e.getMessage().replaceFirst("^extraPrefixes: ", ""), e);
            }
        }
        if (nameClaim != null) {
            throw new ConfigurationException(connection.key("nameClaim"), "only applies to Auth0 subject prefixes; "
                    + "with oidc.connection.claim the claim's value is the connection name");
        }
        ConnectionResolver.ClaimBuilder resolver;
        try {
            resolver = ConnectionResolver.claimBuilder(claim).types(types);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(connection.key("types"), e.getMessage().replaceFirst("^types: ", ""), e);
        }
        if (absent != null) {
            resolver.whenAbsent(connectionType(connection.key("absent"), absent));
        }
        if (unlisted != null) {
            ConnectionType catchAll = connectionType(connection.key("unlisted"), unlisted);
            resolver.whenUnlisted(catchAll);
            if (catchAll != ConnectionType.UNKNOWN) {
                LOG.warn("{}: {}: every value of claim '{}' not listed under {} is taken as '{}', including any identity"
                        + " provider added to the OpenID Provider later; list each connection under {} instead",
                        connection.key("unlisted"), catchAll.configName(), claim, connection.key("types"),
                        catchAll.configName(), connection.key("types"));
            }
        }
        return resolver.build();
    }

    /**
     * Reads {@code oidc.connection.types}: a YAML mapping, or one string {@code name=type, name=type} so that
     * a single variable can carry the whole map ({@code types: ${AWS_DELEGATION_CONNECTION_TYPES:-}});
     * an empty string is no types.
     */
    private Map<String, ConnectionType> connectionTypes(Section connection) {
        Map<String, ConnectionType> types = new LinkedHashMap<>();
        Object raw = connection.raw("types");
        if (raw == null) {
            return types;
        }
        String key = connection.key("types");
        if (raw instanceof Map) {
            Section typeSection = connection.section("types", false);
            for (String value : typeSection.keys()) {
                types.put(value, connectionType(typeSection.key(value), typeSection.string(value, true)));
            }
            typeSection.done();
            return types;
        }
        String compact = connection.string("types", false);
        if (compact == null) {
            return types;
        }
        for (String entry : compact.split(",")) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals <= 0 || equals == trimmed.length() - 1) {
                throw new ConfigurationException(key, "'" + trimmed + "' is not name=type; write a mapping such as"
                        + " {google: social} or one string such as 'google=social, github=social'");
            }
            String name = trimmed.substring(0, equals).strip();
            if (types.put(name, connectionType(key + "." + name, trimmed.substring(equals + 1))) != null) {
                throw new ConfigurationException(key, "'" + name + "' is given twice");
            }
        }
        return types;
    }

    // A session lifetime: absent means the default; zero or negative is a mistake, named by its key.
    private static Duration positive(Section section, String name) {
        Duration d = section.duration(name);
        if (d != null && (d.isZero() || d.isNegative())) {
            throw new ConfigurationException(section.key(name), "must be positive, e.g. 30m");
        }
        return d;
    }

    private static ConnectionType connectionType(String key, String value) {
        try {
            return ConnectionType.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, e.getMessage());
        }
    }

    private List<RoleRule> rules(Section root) {
        List<Section> entries = root.sections("rules");
        if (entries.isEmpty()) {
            throw new ConfigurationException("rules", "no role rules: add at least one rule, or no user will get a role");
        }
        List<RoleRule> rules = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (Section entry : entries) {
            // "bean" keeps this position for a rule contributed at run time (a CDI rule bean) with that id.
            RoleRule rule = entry.has("class") ? codeRule(entry)
                    : entry.has("bean") ? new RulePlaceholder(entry.string("bean", true)) : declarativeRule(entry);
            if (!ids.add(rule.id())) {
                throw new ConfigurationException(entry.key("id"), "rule id '" + rule.id() + "' is used twice; ids must be unique");
            }
            rules.add(rule);
            entry.done();
        }
        // Rules registered through ServiceLoader follow the document's rules, unless the document names them.
        for (RoleRule rule : ServiceLoader.load(RoleRule.class, classLoader)) {
            if (rules.stream().noneMatch(r -> r.getClass() == rule.getClass()) && ids.add(rule.id())) {
                rules.add(rule);
            }
        }
        return rules;
    }

    private RoleRule codeRule(Section entry) {
        String className = entry.string("class", true);
        try {
            Class<?> type = Class.forName(className, true, classLoader);
            if (!RoleRule.class.isAssignableFrom(type)) {
                throw new ConfigurationException(entry.key("class"), className + " does not implement " + RoleRule.class.getName());
            }
            return (RoleRule) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ConfigurationException(entry.key("class"), "cannot create " + className
                    + " (it needs a public no-argument constructor and must be on the web app's class path): " + e, e);
        }
    }

    private DeclarativeRule declarativeRule(Section entry) {
        String id = entry.string("id", true);
        DeclarativeRule.Builder rule = DeclarativeRule.builder(id);
        for (String type : entry.strings("connectionType")) {
            rule.connectionTypes(connectionType(entry.key("connectionType"), type));
        }
        rule.connectionNames(entry.strings("connection").toArray(String[]::new));
        rule.groups(entry.strings("group").toArray(String[]::new));
        rule.emailDomains(entry.strings("emailDomain").toArray(String[]::new));
        for (Section claim : entry.sections("claims")) {
            String name = claim.string("name", true);
            int operators = 0;
            for (DeclarativeRule.ClaimOperator op : DeclarativeRule.ClaimOperator.values()) {
                String opKey = op.name().toLowerCase(Locale.ROOT);
                String expected = claim.string(opKey, false);
                if (expected != null) {
                    operators++;
                    try {
                        rule.claim(name, op, expected);
                    } catch (RuntimeException e) {
                        throw new ConfigurationException(claim.key(opKey), "not a valid regular expression: " + e.getMessage(), e);
                    }
                }
            }
            if (operators != 1) {
                throw new ConfigurationException(claim.key("name"), "give exactly one of equals, prefix or regex");
            }
            claim.done();
        }
        List<Section> roles = entry.sections("roles");
        if (roles.isEmpty()) {
            throw new ConfigurationException(entry.key("roles"), "rule '" + id + "' grants no role; list at least one role arn");
        }
        for (Section role : roles) {
            String arn = role.string("arn", true);
            Duration duration = role.duration("sessionDuration");
            if (duration != null) {
                StsSettings.checkSessionDuration(role.key("sessionDuration"), duration);
            }
            String region = role.string("region", false);
            if (region != null && !Region.regions().contains(Region.of(region))) {
                throw new ConfigurationException(role.key("region"), "'" + region + "' is not an AWS region known to the AWS SDK");
            }
            String policy = role.string("sessionPolicy", false);  // checked with the rest of the scoping below
            RoleGrant.Federation federation = SamlConfigReader.federation(role.key("issuer"), role.string("issuer", false));
            String principal = role.string("principal", false);
            RoleGrant grant;
            try {
                grant = RoleGrant.of(arn);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(role.key("arn"), e.getMessage(), e);
            }
            if (region != null && !Partition.of(grant.partition()).contains(Region.of(region))) {
                throw new ConfigurationException(role.key("region"), "region " + region + " is not in the role's partition "
                        + grant.partition() + ": credentials of a partition come only from its own regions");
            }
            RoleScope scope = roleScope(role);
            RoleGrant granted;
            try {
                granted = new RoleGrant(arn, principal, region, duration, policy, federation, scope);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(role.key("principal"), e.getMessage(), e);
            }
            try {
                SessionScopeTemplate.parse(id, granted);
            } catch (ScopeConfigurationException e) {
                throw new ConfigurationException(role.key(e.key()), e.reason(), e);
            }
            rule.grant(granted);
            role.done();
        }
        return rule.build();
    }

    // managedPolicies, tags, transitiveTags and sourceIdentity of one role (docs/configuration.md, "Scoping").
    private RoleScope roleScope(Section role) {
        List<String> managed = role.strings("managedPolicies");
        Map<String, String> tags = new LinkedHashMap<>();
        Section tagSection = role.section("tags", false);
        if (tagSection != null) {
            for (String key : tagSection.keys()) {
                String value = tagSection.string(key, false);
                tags.put(key, value == null ? "" : value);
            }
            tagSection.done();
        }
        List<String> transitive = role.strings("transitiveTags");
        String sourceIdentity = role.string("sourceIdentity", false);
        try {
            return new RoleScope(managed, tags, transitive, sourceIdentity);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            String key = message.startsWith("managedPolicies") ? "managedPolicies"
                    : message.startsWith("transitiveTags") ? "transitiveTags" : "tags";
            throw new ConfigurationException(role.key(key), message.substring(message.indexOf(':') + 1).trim(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value, String key) {
        if (!(value instanceof Map)) {
            throw new ConfigurationException(key, "must be a mapping of keys to values");
        }
        return (Map<String, Object>) value;
    }

    /** One mapping of the document, remembering which keys were read so that unknown keys are reported. */
    // Package-private for SamlConfigReader, which reads the saml section with it.
    // Matched on the container's normalised path: only plain paths, a '*' only as a trailing "/*" prefix.
    private static List<String> publicPaths(Section section) {
        List<String> paths = section.strings("publicPaths");
        for (String p : paths) {
            String prefix = p.endsWith("/*") ? p.substring(0, p.length() - 1) : p;
            boolean dotSegment = List.of(prefix.split("/", -1)).stream().anyMatch(s -> s.equals(".") || s.equals(".."));
            if (!p.startsWith("/") || prefix.contains("*") || prefix.contains(";") || prefix.contains("%")
                    || prefix.contains("\\") || dotSegment) {
                throw new ConfigurationException(section.key("publicPaths"), "'" + p + "' is not a public path; write a "
                        + "context-relative path as the browser requests it, decoded, e.g. /index.html, or a prefix ending "
                        + "in /*, e.g. /static/*");
            }
        }
        return paths;
    }

    // Origins compared with a browser's Origin header: scheme://host[:port], nothing else, no wildcard.
    private static Set<String> origins(Section section, String name) {
        Set<String> origins = new LinkedHashSet<>();
        for (String origin : section.strings(name)) {
            URI uri;
            try {
                uri = new URI(origin);
            } catch (URISyntaxException e) {
                uri = null;
            }
            if (uri == null || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
                throw new ConfigurationException(section.key(name), "'" + origin + "' is not an origin; write "
                        + "scheme://host[:port] as a browser sends it in Origin, e.g. https://admin.example.com "
                        + "(no path, no trailing slash, no wildcard)");
            }
            origins.add(origin);
        }
        return origins;
    }

    final class Section {

        private final String path;
        private final Map<String, Object> values;
        private final Set<String> read = new LinkedHashSet<>();

        Section(String path, Map<String, Object> values) {
            this.path = path;
            this.values = values;
        }

        String key(String name) {
            return path.isEmpty() ? name : path + "." + name;
        }

        boolean has(String name) {
            return values.containsKey(name);
        }

        Set<String> keys() {
            read.addAll(values.keySet());
            return values.keySet();
        }

        void consumeAll() {
            read.addAll(values.keySet());
        }

        Object raw(String name) {
            read.add(name);
            return values.get(name);
        }

        Section section(String name, boolean required) {
            Object value = raw(name);
            if (value == null) {
                if (required) {
                    throw missing(name);
                }
                return null;
            }
            return new Section(key(name), asMap(value, key(name)));
        }

        List<Section> sections(String name) {
            Object value = raw(name);
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List<?> list)) {
                throw new ConfigurationException(key(name), "must be a list");
            }
            List<Section> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                String k = key(name) + "[" + i + "]";
                out.add(new Section(k, asMap(list.get(i), k)));
            }
            return out;
        }

        String string(String name, boolean required) {
            Object value = raw(name);
            if (value == null) {
                if (required) {
                    throw missing(name);
                }
                return null;
            }
            if (value instanceof Map || value instanceof List) {
                throw new ConfigurationException(key(name), "must be a single value");
            }
            // Scoping templates keep their per-user variables (${sub}, ...) for each user's rendering.
            Set<String> reserved = name.equals("sessionPolicy") || name.equals("sourceIdentity") || path.endsWith(".tags")
                    ? SessionPolicyTemplate.VARIABLES : Set.of();
            String s = interpolation.resolve(key(name), String.valueOf(value), reserved).trim();
            if (s.isEmpty()) {
                if (required) {
                    throw new ConfigurationException(key(name), "is empty");
                }
                return null;
            }
            return s;
        }

        String stringOr(String name, String fallback) {
            String s = string(name, false);
            return s == null ? fallback : s;
        }

        String path(String name, String fallback) {
            String s = stringOr(name, fallback);
            if (!s.startsWith("/")) {
                throw new ConfigurationException(key(name), "'" + s + "' must be a path starting with /");
            }
            return s;
        }

        List<String> strings(String name) {
            Object value = raw(name);
            if (value == null) {
                return List.of();
            }
            List<?> items = value instanceof List<?> l ? l : List.of(value);
            List<String> out = new ArrayList<>();
            for (Object item : items) {
                if (item instanceof Map || item instanceof List) {
                    throw new ConfigurationException(key(name), "must be a value or a list of values");
                }
                out.add(interpolation.resolve(key(name), String.valueOf(item), Set.of()).trim());
            }
            return out;
        }

        boolean bool(String name, boolean fallback) {
            String s = string(name, false);
            if (s == null) {
                return fallback;
            }
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw new ConfigurationException(key(name), "'" + s + "' is not true or false");
            };
        }

        Integer integer(String name) {
            String s = string(name, false);
            if (s == null) {
                return null;
            }
            try {
                return Integer.valueOf(s.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new ConfigurationException(key(name), "'" + s + "' is not a whole number");
            }
        }

        URI uri(String name, boolean required) {
            String s = string(name, required);
            if (s == null) {
                return null;
            }
            try {
                URI uri = new URI(s);
                if (!uri.isAbsolute() || uri.getHost() == null) {
                    throw new ConfigurationException(key(name), "'" + s + "' must be an absolute http(s) URL");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new ConfigurationException(key(name), "'" + s + "' is not a URL: " + e.getReason(), e);
            }
        }

        Duration duration(String name) {
            String s = string(name, false);
            if (s == null) {
                return null;
            }
            Matcher m = DURATION.matcher(s);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw new ConfigurationException(key(name), "'" + s + "' is not a duration; write e.g. 900, 90s, 15m, 1h or PT1H");
            }
        }

        void durationIfPresent(String name, java.util.function.Consumer<Duration> setter) {
            Duration d = duration(name);
            if (d != null) {
                if (d.isNegative()) {
                    throw new ConfigurationException(key(name), "must not be negative");
                }
                setter.accept(d);
            }
        }

        ConfigurationException missing(String name) {
            for (String k : values.keySet()) {
                if (k.equalsIgnoreCase(name)) {
                    return new ConfigurationException(key(name), "missing (found '" + k + "': keys are case-sensitive)");
                }
            }
            return new ConfigurationException(key(name), "missing");
        }

        void done() {
            for (String k : values.keySet()) {
                if (!read.contains(k)) {
                    for (String known : read) {
                        if (known.equalsIgnoreCase(k) && !values.containsKey(known)) {
                            throw new ConfigurationException(key(k), "unknown key (did you mean '" + known
                                    + "'? keys are case-sensitive)");
                        }
                    }
                    throw new ConfigurationException(key(k), "unknown key; see docs/configuration.md for the keys of "
                            + (path.isEmpty() ? "the document" : path));
                }
            }
        }
    }
}
