package io.keelrpc.client.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.client.KeelClient;
import io.keelrpc.client.proxy.CatalogApi.Item;
import io.keelrpc.client.proxy.CatalogApi.Query;
import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.ResponseDecodingException;
import io.keelrpc.server.KeelServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A proxy against an exported implementation over loopback: every shape comes back typed. */
class KeelClientProxyRoundTripTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private KeelServer server;
  private KeelClient client;

  private CatalogApi connect(KeelServer.Builder b) {
    server = b.port(0).ioThreads(1).workerThreads(2).shutdownGracePeriod(Duration.ZERO).start();
    client = KeelClient.builder().endpoint("127.0.0.1", server.port()).build();
    return client.proxy(CatalogApi.class);
  }

  private CatalogApi exported() {
    return connect(KeelServer.builder().export(CatalogApi.class, new Catalog()));
  }

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void synchronousCallsReturnTheirResults() {
    CatalogApi catalog = exported();

    assertThat(catalog.add(new Item("a1", "Anvil", 2))).isEqualTo(new Item("a1", "Anvil", 2));
    assertThat(catalog.get("a1")).isEqualTo(new Item("a1", "Anvil", 2));
    assertThat(catalog.rename("a1", "Big anvil")).isEqualTo(new Item("a1", "Big anvil", 2));
    assertThat(catalog.size()).isEqualTo(1);
  }

  @Test
  void genericResultsBindWithTheirTypeArguments() {
    CatalogApi catalog = exported();
    catalog.add(new Item("a1", "Anvil", 2));
    catalog.add(new Item("a2", "Axe", 1));
    catalog.add(new Item("b1", "Bell", 5));

    List<Item> found = catalog.find(new Query("a"));
    Map<String, Item> bySku = catalog.bySku();

    assertThat(found).containsExactly(new Item("a1", "Anvil", 2), new Item("a2", "Axe", 1));
    assertThat(found.get(0)).isInstanceOf(Item.class);
    assertThat(bySku).containsEntry("b1", new Item("b1", "Bell", 5)).hasSize(3);
    assertThat(bySku.get("b1")).isInstanceOf(Item.class);
  }

  @Test
  void voidMethodReturnsAfterTheCallRan() {
    CatalogApi catalog = exported();
    catalog.add(new Item("a1", "Anvil", 2));

    catalog.clear();

    assertThat(catalog.size()).isZero();
  }

  @Test
  void asynchronousCallsCompleteWithTypedResults() {
    CatalogApi catalog = exported();
    catalog.add(new Item("a1", "Anvil", 2));

    CompletableFuture<List<Item>> found = catalog.findAsync(new Query("a"));
    CompletableFuture<Item> got = catalog.getAsync("a1").toCompletableFuture();

    assertThat(found).succeedsWithin(WAIT)
        .isEqualTo(List.of(new Item("a1", "Anvil", 2)));
    assertThat(got).succeedsWithin(WAIT).isEqualTo(new Item("a1", "Anvil", 2));
    assertThat(catalog.clearAsync().toCompletableFuture()).succeedsWithin(WAIT).isNull();
    assertThat(catalog.size()).isZero();
  }

  @Test
  void typedErrorOfASynchronousCallIsThrownAsItself() {
    CatalogApi catalog = exported();

    assertThatThrownBy(() -> catalog.get("nope"))
        .isInstanceOf(ApplicationException.class)
        .hasMessage("no item \"nope\"")
        .extracting(e -> ((ApplicationException) e).code()).isEqualTo(CatalogApi.NOT_FOUND);
  }

  @Test
  void typedErrorOfAnAsynchronousCallCompletesTheFutureWithItself() {
    CatalogApi catalog = exported();

    // findAsync's result is converted by the proxy, getAsync's is not: both keep the error as is
    Throwable converted = catalog.findAsync(new Query("")).handle((v, t) -> t).join();
    Throwable plain = catalog.getAsync("nope").handle((v, t) -> t).toCompletableFuture().join();

    assertThat(converted).isInstanceOf(ApplicationException.class).hasMessage("empty prefix");
    assertThat(plain).isInstanceOf(ApplicationException.class).hasMessage("no item \"nope\"");
  }

  @Test
  void defaultMethodRunsLocallyAndCallsThroughTheProxy() {
    CatalogApi catalog = exported();
    catalog.add(new Item("a1", "Anvil", 2));

    assertThat(catalog.getOrNull("a1")).isEqualTo(new Item("a1", "Anvil", 2));
    assertThat(catalog.getOrNull("nope")).isNull();
  }

  @Test
  void proxyCallsAServiceRegisteredWithDescriptors() {
    MethodDescriptor<Item, Item> add = MethodDescriptor.of("catalog.add", Item.class, Item.class);
    MethodDescriptor<String, Item> get =
        MethodDescriptor.of("catalog.get", String.class, Item.class);
    CatalogApi catalog = connect(KeelServer.builder()
        .handle(add, (p, ctx) -> new Item(p.sku(), p.name().toUpperCase(), p.qty()))
        .handle(get, (p, ctx) -> new Item(p, "got", 0)));

    assertThat(catalog.add(new Item("a1", "Anvil", 2))).isEqualTo(new Item("a1", "ANVIL", 2));
    assertThat(catalog.get("a1")).isEqualTo(new Item("a1", "got", 0));
  }

  @Test
  void resultThatDoesNotBindToTheGenericTypeIsAResponseDecodingException() {
    MethodDescriptor<Query, String> find =
        MethodDescriptor.of("catalog.find", Query.class, String.class);
    MethodDescriptor<Query, String> findAsync =
        MethodDescriptor.of("catalog.findAsync", Query.class, String.class);
    CatalogApi catalog = connect(KeelServer.builder()
        .handle(find, (p, ctx) -> "not a list")
        .handle(findAsync, (p, ctx) -> "not a list either"));

    assertThatThrownBy(() -> catalog.find(new Query("a")))
        .isInstanceOf(ResponseDecodingException.class)
        .hasMessageStartingWith("the result of \"catalog.find\" does not bind to List<Item>: ");
    assertThat(catalog.findAsync(new Query("a")).handle((v, t) -> t).join())
        .isInstanceOf(ResponseDecodingException.class);
  }

  @Test
  void nullResultOfAPrimitiveMethodIsAResponseDecodingException() {
    MethodDescriptor<Void, Integer> size =
        MethodDescriptor.of("catalog.size", Void.class, Integer.class);
    CatalogApi catalog = connect(KeelServer.builder().handle(size, (p, ctx) -> null));

    assertThatThrownBy(catalog::size)
        .isInstanceOf(ResponseDecodingException.class)
        .hasMessage("the result of \"catalog.size\" is null (expected: a value of type int for"
            + " CatalogApi.size())");
  }
}
