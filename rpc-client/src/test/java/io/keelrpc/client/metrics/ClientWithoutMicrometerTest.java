package io.keelrpc.client.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.client.KeelClient;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.testing.ClassPathChecks;
import io.keelrpc.server.KeelServer;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional: no library class outside {@code io.keelrpc.client.metrics} refers to
 * it, and a client whose class path lacks it calls a server as usual.
 */
class ClientWithoutMicrometerTest {
  @Test
  void onlyTheMetricsPackageRefersToMicrometer() throws Exception {
    List<String> referring = ClassPathChecks.classesNaming(KeelClient.class, "io/micrometer");

    assertThat(referring).as("classes whose constant pool names io/micrometer")
        .contains("io/keelrpc/client/metrics/MicrometerClientMetrics.class")
        .allSatisfy(c -> assertThat(c).startsWith("io/keelrpc/client/metrics/"));
  }

  @Test
  void coreReferencesNoMicrometer() throws Exception {
    List<String> referring = ClassPathChecks.classesNaming(MethodDescriptor.class,
        "io/micrometer");

    assertThat(referring).as("rpc-core classes naming io/micrometer").isEmpty();
  }

  @Test
  @SuppressWarnings({"rawtypes", "unchecked"}) // a plain Map echo keeps the two loaders apart
  void clientWithoutMicrometerOnTheClassPathCallsAServer() throws Exception {
    MethodDescriptor<Map, Map> echo = MethodDescriptor.of("echo", Map.class, Map.class);
    try (KeelServer server = KeelServer.builder().port(0).ioThreads(1).workerThreads(1)
        .shutdownGracePeriod(Duration.ZERO).handle(echo, (p, ctx) -> p).start();
        URLClassLoader loader = new URLClassLoader(
            ClassPathChecks.testClassPathWithout("micrometer"),
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
}
