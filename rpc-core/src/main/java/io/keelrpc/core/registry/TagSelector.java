package io.keelrpc.core.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which instances a client routes to, by their tags: a comma-separated list of terms that must all
 * hold. {@code name=value} needs the tag with that value, {@code name!=value} a tag that is absent
 * or different, and a bare {@code name} the tag with any value. The empty selector matches every
 * instance.
 *
 * <pre>{@code
 * TagSelector workers = TagSelector.parse("role=worker,zone=a");
 * workers.matches(Map.of("role", "worker", "zone", "a", "version", "7"));  // true
 * }</pre>
 */
public final class TagSelector {
  private static final TagSelector ALL = new TagSelector(List.of(), "");

  private enum Op { EQ, NE, PRESENT }

  private record Term(String name, Op op, String value) {
    boolean holds(Map<String, String> tags) {
      String v = tags.get(name);
      return switch (op) {
        case EQ -> value.equals(v);
        case NE -> !value.equals(v);
        case PRESENT -> v != null;
      };
    }
  }

  private final List<Term> terms;
  private final String text;

  private TagSelector(List<Term> terms, String text) {
    this.terms = terms;
    this.text = text;
  }

  /** The selector that matches every instance. */
  public static TagSelector all() {
    return ALL;
  }

  /**
   * Parses {@code role=worker,zone!=b,canary}. Spaces around terms, names and values are ignored.
   *
   * @throws NullPointerException if {@code text} is null
   * @throws IllegalArgumentException if a term is empty or a name or value is not a valid tag
   *     (see {@link ServiceInstance#checkTag})
   */
  public static TagSelector parse(String text) {
    Objects.requireNonNull(text, "selector");
    if (text.isBlank()) {
      return ALL;
    }
    List<Term> terms = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String t = raw.strip();
      if (t.isEmpty()) {
        throw new IllegalArgumentException(
            "selector: '" + text + "' has an empty term (expected: name=value,name!=value,name)");
      }
      int ne = t.indexOf("!=");
      int eq = t.indexOf('=');
      Term term;
      if (ne >= 0 && ne < eq) {
        term = new Term(t.substring(0, ne).strip(), Op.NE, t.substring(ne + 2).strip());
      } else if (eq >= 0) {
        term = new Term(t.substring(0, eq).strip(), Op.EQ, t.substring(eq + 1).strip());
      } else {
        term = new Term(t, Op.PRESENT, "");
      }
      try {
        ServiceInstance.checkTag(term.name(), term.value());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("selector: '" + text + "': " + e.getMessage(), e);
      }
      terms.add(term);
    }
    List<String> parts = new ArrayList<>();
    for (Term term : terms) {
      parts.add(switch (term.op()) {
        case EQ -> term.name() + "=" + term.value();
        case NE -> term.name() + "!=" + term.value();
        case PRESENT -> term.name();
      });
    }
    return new TagSelector(List.copyOf(terms), String.join(",", parts));
  }

  /** True if every term holds for {@code tags}. */
  public boolean matches(Map<String, String> tags) {
    Objects.requireNonNull(tags, "tags");
    for (Term t : terms) {
      if (!t.holds(tags)) {
        return false;
      }
    }
    return true;
  }

  /** The selector in canonical form (what {@link #parse} reads back to an equal selector). */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TagSelector other && other.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
