package com.example.greeter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.greeter.Greeter.Greeting;
import com.example.greeter.Greeter.Hello;
import io.keelrpc.client.KeelClient;
import io.keelrpc.core.InvalidParamsException;
import io.keelrpc.server.KeelServer;
import org.junit.jupiter.api.Test;

/** The greeter server and a client over a real loopback socket. */
class GreeterTest {
  @Test
  void clientGreetsThroughTheServer() {
    try (KeelServer server = Greeter.serve("127.0.0.1", 0);
        KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
      assertThat(client.call(Greeter.GREET, new Hello("Keel")))
          .isEqualTo(new Greeting("Hello, Keel!"));
    }
  }

  @Test
  void blankNameIsATypedErrorAndTheConnectionStaysUsable() {
    try (KeelServer server = Greeter.serve("127.0.0.1", 0);
        KeelClient client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build()) {
      assertThatThrownBy(() -> client.call(Greeter.GREET, new Hello(" ")))
          .isInstanceOf(InvalidParamsException.class)
          .hasMessageContaining("name is required");

      assertThat(client.call(Greeter.GREET, new Hello("again")).message())
          .isEqualTo("Hello, again!");
    }
  }
}
