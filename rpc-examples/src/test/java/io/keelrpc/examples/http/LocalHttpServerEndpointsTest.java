package io.keelrpc.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The httpbin-like endpoints the URL provider relies on. */
class LocalHttpServerEndpointsTest {
  private final LocalHttpServer server = LocalHttpServer.start(7);
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersLikeHttpbin() throws Exception {
    assertThat(get("/get?_id=1").statusCode()).isEqualTo(200);
    assertThat(get("/status/418").statusCode()).isEqualTo(418);
    assertThat(get("/status/503").statusCode()).isEqualTo(503);
    assertThat(get("/html").body()).contains("Herman Melville");
    assertThat(get("/delay/0.05?_id=2").statusCode()).isEqualTo(200);
    assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
  }

  @Test
  void badArgumentsAreBadRequests() throws Exception {
    assertThat(get("/status/abc").statusCode()).isEqualTo(400);
    assertThat(get("/status/99").statusCode()).isEqualTo(400);
    assertThat(get("/delay/61").statusCode()).isEqualTo(400);
    assertThat(get("/flaky").statusCode()).isEqualTo(400);
  }

  @Test
  void flakyFailsThePercentAskedFor() throws Exception {
    assertThat(get("/flaky/0").statusCode()).isEqualTo(200);
    assertThat(get("/flaky/100").statusCode()).isEqualTo(503);
    assertThat(server.requests("flaky")).isEqualTo(2);
  }
}
