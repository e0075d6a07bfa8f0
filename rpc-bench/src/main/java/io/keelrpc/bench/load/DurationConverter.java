package io.keelrpc.bench.load;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code 500ms}, {@code 2s}, {@code 1m}, a bare number of seconds, or ISO-8601. */
public final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /** See the class comment. */
  public static Duration parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("pt") || v.startsWith("p")) {
        return Duration.parse(value.trim());
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
      }
      if (v.endsWith("s")) {
        return ofSeconds(v.substring(0, v.length() - 1));
      }
      if (v.endsWith("m")) {
        return ofSeconds(v.substring(0, v.length() - 1)).multipliedBy(60);
      }
      return ofSeconds(v);
    } catch (RuntimeException e) {
      throw new TypeConversionException("\"" + value
          + "\" is not a duration (expected e.g. 500ms, 2s, 1.5s, 1m)");
    }
  }

  private static Duration ofSeconds(String s) {
    double d = Double.parseDouble(s.trim());
    if (d < 0 || Double.isNaN(d) || d > 86_400) {
      throw new IllegalArgumentException("out of range");
    }
    return Duration.ofNanos(Math.round(d * 1e9));
  }

  /** {@code 2s}, {@code 500ms}: how a duration is printed back. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }
}
