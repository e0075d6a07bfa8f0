package io.keelrpc.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keelrpc.core.testing.ClassPathChecks;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional: no library class outside {@code io.keelrpc.server.metrics} refers to
 * it, and a server whose class path lacks it starts, serves and reports to a plain
 * {@link io.keelrpc.server.ServerListener}.
 */
class ServerWithoutMicrometerTest {
  @Test
  void onlyTheMetricsPackageRefersToMicrometer() throws Exception {
    List<String> referring = ClassPathChecks.classesNaming(KeelServer.class, "io/micrometer");

    assertThat(referring).as("classes whose constant pool names io/micrometer")
        .contains("io/keelrpc/server/metrics/MicrometerServerMetrics.class")
        .allSatisfy(c -> assertThat(c).startsWith("io/keelrpc/server/metrics/"));
  }

  @Test
  void serverWithoutMicrometerOnTheClassPathServesAndReportsToAListener() throws Exception {
    AtomicInteger completed = new AtomicInteger();
    try (URLClassLoader loader = new URLClassLoader(
        ClassPathChecks.testClassPathWithout("micrometer"),
        ClassLoader.getPlatformClassLoader())) {
      assertThat(loader.getResource("io/micrometer/core/instrument/MeterRegistry.class")).isNull();
      Class<?> serverType = loader.loadClass("io.keelrpc.server.KeelServer");
      Class<?> listenerType = loader.loadClass("io.keelrpc.server.ServerListener");
      Class<?> descriptorType = loader.loadClass("io.keelrpc.core.MethodDescriptor");
      Class<?> handlerType = loader.loadClass("io.keelrpc.server.Handler");
      Object echo = descriptorType.getMethod("of", String.class, Class.class, Class.class)
          .invoke(null, "echo", Map.class, Map.class);
      Object handler = Proxy.newProxyInstance(loader, new Class<?>[] {handlerType},
          (proxy, m, args) -> m.getDeclaringClass() == Object.class ? null : args[0]);
      Object listener = Proxy.newProxyInstance(loader, new Class<?>[] {listenerType},
          (proxy, m, args) -> {
            if (m.getName().equals("onCallCompleted")) {
              completed.incrementAndGet();
            }
            return m.getName().equals("toString") ? "counting listener" : null;
          });

      Object builder = serverType.getMethod("builder").invoke(null);
      Class<?> b = builder.getClass();
      b.getMethod("port", int.class).invoke(builder, 0);
      b.getMethod("ioThreads", int.class).invoke(builder, 1);
      b.getMethod("workerThreads", int.class).invoke(builder, 1);
      b.getMethod("handle", descriptorType, handlerType).invoke(builder, echo, handler);
      b.getMethod("listener", listenerType).invoke(builder, listener);
      Object server = b.getMethod("start").invoke(builder);
      Method close = serverType.getMethod("close");
      try {
        int port = (int) serverType.getMethod("port").invoke(server);
        JsonNode answer = FrameClient.callOnce(port,
            "{\"id\":\"1\",\"method\":\"echo\",\"params\":{\"text\":\"hi\"}}");

        assertThat(answer.path("result").path("text").asText()).as("answer %s", answer)
            .isEqualTo("hi");
        assertThat(completed).hasValue(1);
      } finally {
        close.invoke(server);
      }
    }
  }
}
