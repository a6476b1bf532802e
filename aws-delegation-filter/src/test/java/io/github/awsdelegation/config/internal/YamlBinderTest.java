package io.github.awsdelegation.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.awsdelegation.config.ConfigurationException;
import io.github.awsdelegation.internal.InvalidSettingException;
import io.github.awsdelegation.token.ConnectionType;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The binder, on small models of its own: what each type accepts, and how each mistake names its key. */
class YamlBinderTest {

    enum Colour { DARK_BLUE, RED }

    record Scalars(String name, int port, long size, boolean on, Duration timeout, URI url, Colour colour,
            ConnectionType type) {
    }

    record Defaults(@Required String name, int port, Duration timeout, List<String> tags, boolean verbose) {
        static final int DEFAULT_PORT = 8080;
        static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    }

    record Inner(@Required String value) {
        Inner {
            if (value.equals("bad")) {
                throw new ConfigurationException("value", "'bad' is not good");
            }
        }
    }

    record Item(String name, List<Inner> inner) {
    }

    record Tree(List<Item> items, Set<String> labels, Map<String, Integer> limits,
            @CompactMap(valueName = "type", example = "google=social, github=social") Map<String, ConnectionType> types) {
    }

    sealed interface Shape permits Circle, Square {
    }

    record Circle(@Required Integer radius) implements Shape {
    }

    record Square(@Required Integer side) implements Shape {
    }

    record Shapes(List<Shape> shapes) {
    }

    record Port(int number) implements Supplier<String> {
        @Override
        public String get() {
            if (number == 0) {
                throw new InvalidSettingException("number", "number: 0 is no port");
            }
            return "port " + number;
        }
    }

    record Server(@Key("class") String className, @BindAs(Port.class) String port, @Switchable Inner extra) {
    }

    record Policies(@PerUserTemplate String sessionPolicy, String clientId, @PerUserTemplate Map<String, String> tags) {
    }

    static Object yaml(String text) {
        return new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    static <T> T bind(String text, Class<T> type) {
        return YamlBinder.bind(yaml(text), type, "");
    }

    static void assertMistake(String text, Class<?> type, String key, String message) {
        assertThatThrownBy(() -> bind(text, type)).isInstanceOfSatisfying(ConfigurationException.class,
                e -> assertThat(e.key()).isEqualTo(key)).hasMessageContaining(message);
    }

    @Nested
    class Types {

        @Test
        @DisplayName("strings, whole numbers, booleans, durations, URLs, enums and parse(String) types")
        void scalars() {
            Scalars s = bind("""
                    name: '  shop  '
                    port: 8_443
                    size: 10000000000
                    on: yes
                    timeout: 15m
                    url: https://example.com/x
                    colour: dark-blue
                    type: social
                    """, Scalars.class);

            assertThat(s).isEqualTo(new Scalars("shop", 8443, 10_000_000_000L, true, Duration.ofMinutes(15),
                    URI.create("https://example.com/x"), Colour.DARK_BLUE, ConnectionType.SOCIAL));
        }

        @Test
        @DisplayName("durations: seconds by default, ms, s, m, h, d, or ISO-8601")
        void durations() {
            for (Map.Entry<String, Duration> e : Map.of("900", Duration.ofSeconds(900), "500ms", Duration.ofMillis(500),
                    "90s", Duration.ofSeconds(90), "1h", Duration.ofHours(1), "1d", Duration.ofDays(1), "PT15M",
                    Duration.ofMinutes(15)).entrySet()) {
                assertThat(bind("timeout: " + e.getKey(), Scalars.class).timeout()).as(e.getKey()).isEqualTo(e.getValue());
            }
        }

        @Test
        @DisplayName("a value of the wrong kind is named by its key, with what is accepted")
        void wrongKinds() {
            assertMistake("port: eighty", Scalars.class, "port", "'eighty' is not a whole number");
            assertMistake("port: 99999999999", Scalars.class, "port", "is not a whole number");
            assertMistake("on: maybe", Scalars.class, "on", "'maybe' is not true or false");
            assertMistake("timeout: soon", Scalars.class, "timeout", "'soon' is not a duration; write e.g. 900, 90s, 15m, 1h or PT1H");
            assertMistake("url: example.com", Scalars.class, "url", "must be an absolute http(s) URL");
            assertMistake("colour: green", Scalars.class, "colour", "'green' is not one of dark-blue, red");
            assertMistake("type: socail", Scalars.class, "type", "unknown connection type 'socail'");
            assertMistake("name: [a, b]", Scalars.class, "name", "must be a single value");
        }

        @Test
        @DisplayName("a key left out takes the record's DEFAULT_ constant, else the type's empty value; a required one is missing")
        void defaults() {
            Defaults d = bind("name: x", Defaults.class);

            assertThat(d).isEqualTo(new Defaults("x", 8080, Duration.ofSeconds(2), List.of(), false));
            assertThat(bind("name: x\nport: ''", Defaults.class).port()).as("an empty value is no value").isEqualTo(8080);
            assertMistake("port: 1", Defaults.class, "name", "missing");
        }

        @Test
        @DisplayName("lists (or one value), sets, maps, nested records, and a map written as one string")
        void collections() {
            Tree t = bind("""
                    items:
                      - name: a
                        inner: [{value: x}, {value: y}]
                    labels: one
                    limits: {a: 1, b: '2'}
                    types: 'google=social, corp = enterprise'
                    """, Tree.class);

            assertThat(t.items()).singleElement().satisfies(i -> assertThat(i.inner()).extracting(Inner::value).containsExactly("x", "y"));
            assertThat(t.labels()).containsExactly("one");
            assertThat(t.limits()).containsExactly(Map.entry("a", 1), Map.entry("b", 2));
            assertThat(t.types()).containsExactly(Map.entry("google", ConnectionType.SOCIAL), Map.entry("corp", ConnectionType.ENTERPRISE));
            assertMistake("types: 'google=social, github'", Tree.class, "types",
                    "'github' is not name=type; write a mapping such as {google: social} or one string such as 'google=social, github=social'");
            assertMistake("types: 'a=social, a=social'", Tree.class, "types", "'a' is given twice");
            assertMistake("types: 'a=socail'", Tree.class, "types.a", "unknown connection type");
            assertMistake("labels: [[a]]", Tree.class, "labels", "must be a value or a list of values");
            assertMistake("items: {name: a}", Tree.class, "items", "must be a list");
            assertMistake("items: [a]", Tree.class, "items[0]", "must be a mapping of keys to values");
        }

        @Test
        @DisplayName("a sealed type is the alternative whose required keys are present")
        void sealedAlternatives() {
            Shapes s = bind("shapes: [{radius: 1}, {side: 2}]", Shapes.class);

            assertThat(s.shapes()).containsExactly(new Circle(1), new Square(2));
            assertMistake("shapes: [{radius: 1, side: 2}]", Shapes.class, "shapes[0].side", "unknown key");
            assertMistake("shapes: [{}]", Shapes.class, "shapes[0].side", "missing");
        }

        @Test
        @DisplayName("@Key renames, @BindAs binds through a supplier record, @Switchable turns a section off with enabled: false")
        void annotations() {
            Server s = bind("class: com.example.X\nport: {number: 80}\nextra: {enabled: true, value: v}", Server.class);

            assertThat(s).isEqualTo(new Server("com.example.X", "port 80", new Inner("v")));
            assertThat(bind("extra: {enabled: false, whatever: 1}", Server.class).extra()).isNull();
            assertMistake("port: {number: 0}", Server.class, "port.number", "0 is no port");
        }
    }

    @Nested
    class Keys {

        @Test
        @DisplayName("an unknown key is refused with the closest known key")
        void unknownKey_closest() {
            assertMistake("nmae: x", Defaults.class, "nmae", "unknown key; did you mean 'name'? see docs/configuration.md for the keys of the document");
            assertMistake("items: [{name: a, iner: []}]", Tree.class, "items[0].iner", "did you mean 'inner'?");
            assertMistake("zzz: 1", Defaults.class, "zzz", "unknown key; see docs/configuration.md");
        }

        @Test
        @DisplayName("a key differing only in case says that keys are case-sensitive")
        void caseSensitive() {
            assertMistake("name: x\nPort: 1", Defaults.class, "Port", "unknown key (did you mean 'port'? keys are case-sensitive)");
            assertMistake("Name: x", Defaults.class, "name", "missing (found 'Name': keys are case-sensitive)");
        }

        @Test
        @DisplayName("mistakes deep in nested lists are named by their full path; a record's own complaint too")
        void nestedPaths() {
            assertMistake("items: [{name: a}, {inner: [{value: ok}, {valeu: x}]}]", Tree.class, "items[1].inner[1].valeu", "unknown key");
            assertMistake("items: [{name: a}, {inner: [{value: ok}, {}]}]", Tree.class, "items[1].inner[1].value", "missing");
            assertMistake("items: [{inner: [{value: bad}]}]", Tree.class, "items[0].inner[0].value", "'bad' is not good");
        }
    }

    @Nested
    class Interpolating {

        final Interpolation interpolation = new Interpolation(Map.of("PORT", "9090", "TEAM", "blue")::get, name -> null);

        <T> T resolveAndBind(String text, Class<T> type) {
            return YamlBinder.bind(interpolation.resolve(yaml(text), type), type, "");
        }

        @Test
        @DisplayName("variables are replaced before binding, so a variable may hold a number; an empty fallback is no value")
        void beforeBinding() {
            Defaults d = resolveAndBind("name: ${TEAM}-shop\nport: ${PORT}\ntimeout: ${TIMEOUT:-}", Defaults.class);

            assertThat(d).isEqualTo(new Defaults("blue-shop", 9090, Duration.ofSeconds(2), List.of(), false));
            assertThatThrownBy(() -> resolveAndBind("name: ${NOPE}", Defaults.class)).isInstanceOf(ConfigurationException.class)
                    .hasMessage("name: ${NOPE} is neither a system property nor an environment variable; set it, or give a "
                            + "default as ${NOPE:-value}");
        }

        @Test
        @DisplayName("a per-user template keeps ${sub}; a plain field holding ${sub} is refused, naming the key")
        void perUserTemplateVersusPlainField() {
            Policies p = resolveAndBind("""
                    sessionPolicy: 'arn:aws:s3:::b/${TEAM}/${sub}/${claim.dept}/${aws:userid}'
                    tags: {owner: '${email}'}
                    clientId: ${TEAM}
                    """, Policies.class);

            assertThat(p.sessionPolicy()).isEqualTo("arn:aws:s3:::b/blue/${sub}/${claim.dept}/${aws:userid}");
            assertThat(p.tags()).containsEntry("owner", "${email}");
            assertThatThrownBy(() -> resolveAndBind("clientId: ${sub}", Policies.class))
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.key()).isEqualTo("clientId"))
                    .hasMessageContaining("${sub} is a per-user variable, which only a per-user template takes");
            assertThatThrownBy(() -> resolveAndBind("items: [{name: '${claim.x}'}]", Tree.class))
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.key()).isEqualTo("items[0].name"));
        }
    }
}
