package io.keelrpc.core.testing;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * For tests that prove a dependency is optional: which compiled classes name a package, and the
 * test class path without that dependency's jars.
 */
public final class ClassPathChecks {
  private ClassPathChecks() {}

  /**
   * The classes (paths such as {@code io/keelrpc/server/metrics/X.class}) in the directory or jar
   * that {@code anchor} was loaded from whose bytes (constant pool included) contain
   * {@code internalName}, e.g. {@code "io/micrometer"}.
   */
  public static List<String> classesNaming(Class<?> anchor, String internalName)
      throws IOException, URISyntaxException {
    Path classes = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    byte[] needle = internalName.getBytes(StandardCharsets.UTF_8);
    List<String> naming = new ArrayList<>();
    if (!Files.isDirectory(classes)) {
      try (JarFile jar = new JarFile(classes.toFile())) {
        for (JarEntry e : Collections.list(jar.entries())) {
          if (e.getName().endsWith(".class")
              && contains(jar.getInputStream(e).readAllBytes(), needle)) {
            naming.add(e.getName());
          }
        }
      }
      return naming;
    }
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        if (contains(Files.readAllBytes(f), needle)) {
          naming.add(classes.relativize(f).toString().replace(File.separatorChar, '/'));
        }
      }
    }
    return naming;
  }

  /**
   * The test class path (surefire's, else {@code java.class.path}) minus the entries containing
   * {@code fragment}, e.g. {@code "micrometer"}.
   */
  public static URL[] testClassPathWithout(String fragment) throws MalformedURLException {
    String cp = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    List<URL> urls = new ArrayList<>();
    for (String entry : cp.split(File.pathSeparator)) {
      if (!entry.isEmpty() && !entry.contains(fragment)) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    return urls.toArray(new URL[0]);
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
