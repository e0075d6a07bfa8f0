package io.keelrpc.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.client.CallOptions;
import io.keelrpc.client.KeelClient;
import io.keelrpc.client.StreamOptions;
import io.keelrpc.client.occ.OccUpdater;
import io.keelrpc.client.stream.resume.ResumableStream;
import io.keelrpc.core.fault.Delay;
import io.keelrpc.core.fault.FaultInjector;
import io.keelrpc.core.fault.FaultRule;
import io.keelrpc.core.policy.Resilience;
import io.keelrpc.core.policy.RetryBudget;
import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import io.keelrpc.core.tls.TlsConfig;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.idempotency.InMemoryIdempotencyStore;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code docs/configuration.md} names every public method of every builder (and the factories of
 * {@link Jitter} and {@link Delay}) in the section about it, so an option added to a builder fails
 * this test until it is documented.
 */
class ConfigurationDocTest {
  /** A section of the page, headed {@code ## `title`}, and the type whose methods it names. */
  static Stream<Arguments> sections() {
    return Stream.of(
        Arguments.of("KeelServer.Builder", KeelServer.Builder.class, false),
        Arguments.of("InMemoryIdempotencyStore.Builder", InMemoryIdempotencyStore.Builder.class,
            false),
        Arguments.of("KeelClient.Builder", KeelClient.Builder.class, false),
        Arguments.of("CallOptions.Builder", CallOptions.Builder.class, false),
        Arguments.of("StreamOptions.Builder", StreamOptions.Builder.class, false),
        Arguments.of("RetryPolicy.Builder", RetryPolicy.Builder.class, false),
        Arguments.of("RetryPolicy.Builder", Jitter.class, true),
        Arguments.of("RetryBudget.Builder", RetryBudget.Builder.class, false),
        Arguments.of("TlsConfig.Builder", TlsConfig.Builder.class, false),
        Arguments.of("FaultInjector.Builder", FaultInjector.Builder.class, false),
        Arguments.of("FaultRule.Builder", FaultRule.Builder.class, false),
        Arguments.of("FaultRule.Builder", Delay.class, true),
        Arguments.of("OccUpdater.Builder", OccUpdater.Builder.class, false),
        Arguments.of("ResumableStream.Builder", ResumableStream.Builder.class, false),
        Arguments.of("Resilience.Builder", Resilience.Builder.class, false));
  }

  /** The sections about a builder (not the factories of Jitter and Delay). */
  static Stream<Arguments> builderSections() {
    return sections().filter(a -> !(Boolean) a.get()[2]);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("sections")
  void sectionNamesEveryPublicMethod(String title, Class<?> type, boolean staticOnly) {
    String section = section(title);
    SortedSet<String> missing = new TreeSet<>();
    for (String name : publicMethods(type, staticOnly)) {
      if (!Pattern.compile("`(\\w+\\.)?" + Pattern.quote(name) + "[`(]").matcher(section)
          .find()) {
        missing.add(name);
      }
    }

    assertThat(missing)
        .as("methods of %s not named (as `name`, `name(...)` or `Type.name(...)`) in section "
            + "\"%s\" of docs/configuration.md", type.getName(), title)
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("sections")
  void reflectionFindsTheMethods(String title, Class<?> type, boolean staticOnly) {
    assertThat(publicMethods(type, staticOnly)).as(type.getName()).isNotEmpty();
  }

  /**
   * Every table cell that names a {@code DEFAULT_*} constant, as in {@code 1024
   * (`DEFAULT_QUEUE_CAPACITY`)}, shows that constant's value: a changed default fails here until
   * the page says so.
   */
  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("builderSections")
  void namedDefaultsShowTheirValues(String title, Class<?> type, boolean staticOnly)
      throws ReflectiveOperationException {
    Matcher named = Pattern.compile("`(DEFAULT_[A-Z_]+)`").matcher("");
    for (String line : section(title).lines().filter(l -> l.startsWith("|")).toList()) {
      for (String cell : line.split("\\|")) {
        named.reset(cell);
        while (named.find()) {
          Field field = constant(type, named.group(1));
          String shown = shown(field.get(null));
          assertThat(cell).as("%s.%s = %s in section %s", field.getDeclaringClass().getName(),
              field.getName(), shown, title).contains(shown);
        }
      }
    }
  }

  @Test
  void pageNamesManyDefaults() {
    assertThat(Pattern.compile("`DEFAULT_[A-Z_]+`").matcher(DocSnippets.page("configuration.md"))
        .results().count()).isGreaterThan(25);
  }

  /** The constant on the builder or its enclosing class. */
  private static Field constant(Class<?> type, String name) throws NoSuchFieldException {
    for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
      try {
        return c.getField(name);
      } catch (NoSuchFieldException e) {
        // try the enclosing class
      }
    }
    throw new NoSuchFieldException(name + " on " + type.getName() + " or its enclosing class");
  }

  /**
   * How the page writes a value: 1024, 10 000, 64 MiB, 50 ms, 10 s, 5 min, 0.5, and a backoff
   * as "100 ms doubling to 5 s, equal jitter" (", no limit" when its attempts are unbounded).
   */
  private static String shown(Object value) {
    if (value instanceof RetryPolicy p) {
      return shown(p.initialBackoff())
          + (p.multiplier() == 2.0 ? " doubling" : " x" + p.multiplier())
          + " to " + shown(p.maxBackoff()) + ", " + p.jitter() + " jitter"
          + (p.maxAttempts() == Integer.MAX_VALUE ? ", no limit" : "");
    }
    if (value instanceof Duration d) {
      if (d.toMillis() < 1000) {
        return d.toMillis() + " ms";
      }
      return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
    if (value instanceof Integer || value instanceof Long) {
      long n = ((Number) value).longValue();
      if (n >= (1 << 20) && n % (1 << 20) == 0) {
        return (n >> 20) + " MiB";
      }
      return n >= 10_000 ? String.format(Locale.ROOT, "%,d", n).replace(',', ' ')
          : Long.toString(n);
    }
    return String.valueOf(value);
  }

  private static List<String> publicMethods(Class<?> type, boolean staticOnly) {
    return Arrays.stream(type.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic())
        .filter(m -> Modifier.isStatic(m.getModifiers()) == staticOnly)
        .map(Method::getName)
        .distinct()
        .toList();
  }

  /** The text under {@code ## `title`}, up to the next {@code ## } heading. */
  private static String section(String title) {
    String page = DocSnippets.page("configuration.md");
    String heading = "\n## `" + title + "`\n";
    int start = page.indexOf(heading);
    assertThat(start).as("heading %s in docs/configuration.md", heading.strip()).isNotNegative();
    int end = page.indexOf("\n## ", start + heading.length());
    return page.substring(start, end < 0 ? page.length() : end);
  }
}
