package io.keelrpc.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the code in {@code docs/} honest: the pages show code that lives in this package, where it
 * compiles and its tests run, and these helpers check that a page shows it verbatim.
 *
 * <p>A snippet is either a whole source file of this package without its {@code package} line, or
 * a region of one between {@code // doc:begin NAME} and {@code // doc:end NAME}, dedented. A page
 * shows it when one of its fenced {@code java} blocks contains it exactly. Paths are relative to
 * the module directory, Surefire's working directory.
 */
final class DocSnippets {
  /** The sources of this package. */
  static final Path SOURCES = Path.of("src/test/java/io/keelrpc/examples/docs");
  /** The repository's docs directory. */
  static final Path DOCS = Path.of("..", "docs");

  private DocSnippets() {}

  /** The text of {@code docs/<page>}. */
  static String page(String page) {
    return read(DOCS.resolve(page));
  }

  /** The source of {@code type} (a top-level class of this package) without its package line. */
  static String file(Class<?> type) {
    String source = read(SOURCES.resolve(type.getSimpleName() + ".java"));
    String packageLine = "package " + type.getPackageName() + ";\n";
    assertThat(source).startsWith(packageLine);
    return source.substring(packageLine.length()).strip() + "\n";
  }

  /** The dedented lines between {@code // doc:begin name} and {@code // doc:end name}. */
  static String region(Class<?> type, String name) {
    List<String> lines = read(SOURCES.resolve(type.getSimpleName() + ".java")).lines().toList();
    int begin = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      String t = lines.get(i).strip();
      if (t.equals("// doc:begin " + name)) {
        begin = i + 1;
      } else if (t.equals("// doc:end " + name)) {
        end = i;
      }
    }
    assertThat(begin).as("// doc:begin %s in %s", name, type.getSimpleName()).isPositive();
    assertThat(end).as("// doc:end %s in %s", name, type.getSimpleName()).isGreaterThan(begin);
    List<String> region = lines.subList(begin, end);
    int indent = region.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    StringBuilder s = new StringBuilder();
    for (String l : region) {
      s.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
    }
    return s.toString();
  }

  /** The fenced {@code java} blocks of a page, each with a final newline. */
  static List<String> javaBlocks(String page) {
    List<String> blocks = new ArrayList<>();
    StringBuilder current = null;
    for (String line : page(page).lines().toList()) {
      if (current == null && line.equals("```java")) {
        current = new StringBuilder();
      } else if (current != null && line.equals("```")) {
        blocks.add(current.toString());
        current = null;
      } else if (current != null) {
        current.append(line).append('\n');
      }
    }
    return blocks;
  }

  /** Asserts that a {@code java} block of {@code docs/<page>} contains {@code snippet}. */
  static void assertShown(String page, String what, String snippet) {
    assertThat(javaBlocks(page))
        .as("a ```java block of docs/%s showing %s verbatim:%n%s", page, what, snippet)
        .anyMatch(block -> block.contains(snippet));
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
