package io.keelrpc.client.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.client.KeelClient;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.server.KeelServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional: no library class outside {@code io.keelrpc.client.metrics} refers to
 * it, and a client whose class path lacks it calls a server as usual.
 */
class ClientWithoutMicrometerTest {
  private static final byte[] MICROMETER = "io/micrometer".getBytes(StandardCharsets.UTF_8);

  @Test
  void onlyTheMetricsPackageRefersToMicrometer() throws Exception {
    Path classes = Path.of(KeelClient.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    List<String> referring = new ArrayList<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        if (contains(Files.readAllBytes(f), MICROMETER)) {
          referring.add(classes.relativize(f).toString().replace(File.separatorChar, '/'));
        }
      }
    }

    assertThat(referring).as("classes whose constant pool names io/micrometer")
        .contains("io/keelrpc/client/metrics/MicrometerClientMetrics.class")
        .allSatisfy(c -> assertThat(c).startsWith("io/keelrpc/client/metrics/"));
  }

  @Test
  void coreReferencesNoMicrometer() throws Exception {
    Path classes = Path.of(MethodDescriptor.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    List<String> referring = new ArrayList<>();
    if (Files.isDirectory(classes)) {
      try (Stream<Path> files = Files.walk(classes)) {
        files.filter(p -> p.toString().endsWith(".class")).forEach(f -> {
          try {
            if (contains(Files.readAllBytes(f), MICROMETER)) {
              referring.add(f.toString());
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
    } else {
      try (JarFile jar = new JarFile(classes.toFile())) {
        for (JarEntry e : Collections.list(jar.entries())) {
          if (e.getName().endsWith(".class")
              && contains(jar.getInputStream(e).readAllBytes(), MICROMETER)) {
            referring.add(e.getName());
          }
        }
      }
    }

    assertThat(referring).as("rpc-core classes naming io/micrometer").isEmpty();
  }

  @Test
  @SuppressWarnings({"rawtypes", "unchecked"}) // a plain Map echo keeps the two loaders apart
  void clientWithoutMicrometerOnTheClassPathCallsAServer() throws Exception {
    MethodDescriptor<Map, Map> echo = MethodDescriptor.of("echo", Map.class, Map.class);
    try (KeelServer server = KeelServer.builder().port(0).ioThreads(1).workerThreads(1)
        .shutdownGracePeriod(Duration.ZERO).handle(echo, (p, ctx) -> p).start();
        URLClassLoader loader = new URLClassLoader(classPathWithoutMicrometer(),
            ClassLoader.getPlatformClassLoader())) {
      assertThat(loader.getResource("io/micrometer/core/instrument/MeterRegistry.class")).isNull();
      Class<?> clientType = loader.loadClass("io.keelrpc.client.KeelClient");
      Class<?> descriptorType = loader.loadClass("io.keelrpc.core.MethodDescriptor");
      Object isolatedEcho = descriptorType.getMethod("of", String.class, Class.class, Class.class)
          .invoke(null, "echo", Map.class, Map.class);
      Object builder = clientType.getMethod("builder").invoke(null);
      builder.getClass().getMethod("endpoint", String.class, int.class)
          .invoke(builder, "127.0.0.1", server.port());
      AutoCloseable client = (AutoCloseable) builder.getClass().getMethod("build").invoke(builder);
      try (client) {
        CompletableFuture<?> answer = (CompletableFuture<?>) clientType
            .getMethod("callAsync", descriptorType, Object.class)
            .invoke(client, isolatedEcho, Map.of("text", "hi"));

        assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(Map.of("text", "hi"));
      }
    }
  }

  /** The test class path (as surefire passes it) without any Micrometer jar. */
  private static URL[] classPathWithoutMicrometer() throws MalformedURLException {
    String cp = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    List<URL> urls = new ArrayList<>();
    for (String entry : cp.split(File.pathSeparator)) {
      if (!entry.isEmpty() && !entry.contains("micrometer")) {
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
