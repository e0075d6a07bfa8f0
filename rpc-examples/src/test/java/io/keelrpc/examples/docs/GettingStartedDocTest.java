package io.keelrpc.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.core.InvalidParamsException;
import io.keelrpc.server.KeelServer;
import org.junit.jupiter.api.Test;

/**
 * The server and client of {@code docs/getting-started.md} run over loopback, and the page shows
 * their code verbatim.
 */
class GettingStartedDocTest {
  @Test
  void clientGreetsThroughTheServerOverLoopback() {
    try (KeelServer server = HelloServer.start(0)) {
      assertThat(HelloClient.greet("127.0.0.1", server.port(), "Ada")).isEqualTo("Hello, Ada!");
    }
  }

  @Test
  void blankNameIsATypedInvalidParamsError() {
    try (KeelServer server = HelloServer.start(0)) {
      assertThatThrownBy(() -> HelloClient.greet("127.0.0.1", server.port(), " "))
          .isInstanceOf(InvalidParamsException.class)
          .hasMessageContaining("name: missing");
    }
  }

  @Test
  void pageShowsTheApiServerAndClientVerbatim() {
    DocSnippets.assertShown("getting-started.md", "HelloApi.java",
        DocSnippets.file(HelloApi.class));
    DocSnippets.assertShown("getting-started.md", "HelloServer.java",
        DocSnippets.file(HelloServer.class));
    DocSnippets.assertShown("getting-started.md", "HelloClient.java",
        DocSnippets.file(HelloClient.class));
  }
}
