package io.keelrpc.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.keelrpc.core.ErrorCode;
import io.keelrpc.core.MethodDescriptor;
import io.keelrpc.core.service.Idempotent;
import io.keelrpc.core.service.KeelMethod;
import io.keelrpc.core.service.KeelService;
import io.keelrpc.core.service.NonBlocking;
import io.keelrpc.server.FrameClient;
import io.keelrpc.server.KeelServer;
import io.keelrpc.server.ServerTestSupport;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@code export} refuses what it cannot map, naming the interface and the method. */
class KeelServerExportValidationTest extends ServerTestSupport {
  interface Repo<T> {
    T get();
  }

  interface Overloaded {
    int get(String sku);

    int get(int index);
  }

  interface SameName {
    @KeelMethod("x")
    int a();

    @KeelMethod("x")
    int b();
  }

  interface AsyncNonBlocking {
    @NonBlocking
    CompletableFuture<String> get();
  }

  interface MarkedDefault {
    int get();

    @Idempotent
    default int twice() {
      return 2 * get();
    }
  }

  @KeelService("a b")
  interface BadPrefix {
    int get();
  }

  interface BadName {
    @KeelMethod("two words")
    int get();
  }

  interface GenericMethod {
    <T> T get(Class<T> type);
  }

  interface RawStage {
    @SuppressWarnings("rawtypes")
    CompletionStage get();
  }

  interface OtherFuture {
    Future<String> get();
  }

  interface OnlyDefaults {
    default int get() {
      return 1;
    }
  }

  /** {@code export} with the types checked at run time only, as raw callers would. */
  @SuppressWarnings("unchecked")
  private static <T> KeelServer.Builder export(Class<?> type, Object impl) {
    return builder().export((Class<T>) type, (T) impl);
  }

  /** An implementation of {@code type} whose methods all return null. */
  private static Object dummy(Class<?> type) {
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> null);
  }

  @Test
  void classIsNotAnInterface() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> builder().export(Shelf.class, new Shelf()))
        .withMessage("type: io.keelrpc.server.proxy.Shelf (expected: an interface)");
  }

  @Test
  void interfaceWithTypeParametersIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> export(Repo.class, (Repo<String>) () -> "x"))
        .withMessageStartingWith("Repo<T>: type parameters (expected: none;");
  }

  @Test
  void overloadsMappingToOneNameAreRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> export(Overloaded.class, new Overloaded() {
          @Override
          public int get(String sku) {
            return 0;
          }

          @Override
          public int get(int index) {
            return 0;
          }
        }))
        .withMessageContaining("Overloaded.get(String)")
        .withMessageContaining("Overloaded.get(int)")
        .withMessageContaining(": both map to \"get\" (expected: one method per name; rename one"
            + " with @KeelMethod)");
  }

  @Test
  void explicitNamesThatClashAreRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> export(SameName.class, dummy(SameName.class)))
        .withMessageContaining("SameName.a()")
        .withMessageContaining("SameName.b()")
        .withMessageContaining("both map to \"x\"");
  }

  @Test
  void nonBlockingOnAnAsyncMethodIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> export(AsyncNonBlocking.class, dummy(AsyncNonBlocking.class)))
        .withMessageStartingWith("AsyncNonBlocking.get(): @NonBlocking on a method returning"
            + " CompletableFuture (expected: only on methods with a plain result;");
  }

  @Test
  void markOnADefaultMethodIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> export(MarkedDefault.class, dummy(MarkedDefault.class)))
        .withMessageStartingWith("MarkedDefault.twice(): @Idempotent on a default method");
  }

  @Test
  void prefixWithWhitespaceIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> export(BadPrefix.class, dummy(BadPrefix.class)))
        .withMessageStartingWith("BadPrefix: @KeelService(\"a b\") (expected:");
  }

  @Test
  void explicitNameWithWhitespaceIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> export(BadName.class, dummy(BadName.class)))
        .withMessageStartingWith("BadName.get(): wire name: \"two words\" (expected: 1..256");
  }

  @Test
  void genericMethodIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> export(GenericMethod.class, dummy(GenericMethod.class)))
        .withMessageStartingWith("GenericMethod.get(Class): type parameters <T> (expected: none;");
  }

  @Test
  void stageWithoutATypeArgumentIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> export(RawStage.class, dummy(RawStage.class)))
        .withMessage("RawStage.get(): returns CompletionStage without a type argument (expected:"
            + " CompletionStage<Result>, or CompletionStage<Void> for no result)");
  }

  @Test
  void futureOtherThanACompletionStageIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> export(OtherFuture.class, dummy(OtherFuture.class)))
        .withMessage("OtherFuture.get(): returns Future<String> (expected: a plain type,"
            + " CompletionStage<T> or CompletableFuture<T>)");
  }

  @Test
  void interfaceWithoutAbstractMethodsIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> export(OnlyDefaults.class, new OnlyDefaults() {}))
        .withMessage("OnlyDefaults: no abstract methods (expected: at least one remote method)");
  }

  @Test
  void implementationOfAnotherTypeIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> export(ShelfApi.class, "not a shelf"))
        .withMessage("impl: java.lang.String (expected: an implementation of"
            + " io.keelrpc.server.proxy.ShelfApi)");
  }

  @Test
  void nullImplementationIsRefused() {
    assertThatNullPointerException()
        .isThrownBy(() -> builder().export(ShelfApi.class, null))
        .withMessage("impl");
  }

  @Test
  void nameAlreadyRegisteredRefusesTheWholeExport() throws IOException {
    KeelServer.Builder b = builder().handle(
        MethodDescriptor.of("shelf.get", String.class, String.class), (p, ctx) -> "taken");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.export(ShelfApi.class, new Shelf()))
        .withMessage("method: \"shelf.get\" of ShelfApi.get(Sku) (expected: registered once)");

    KeelServer server = start(b);
    assertError(FrameClient.callOnce(server.port(), request(newId(), "shelf.count", "[\"a\"]")),
        ErrorCode.METHOD_NOT_FOUND.code());
    assertThat(assertResult(FrameClient.callOnce(server.port(),
        request(newId(), "shelf.get", "[\"a\"]"))).asText()).isEqualTo("taken");
  }

  @Test
  void packagePrivateInterfaceIsExported() throws IOException {
    KeelServer server = start(builder().export(Answer.class, () -> 41));

    assertThat(assertResult(FrameClient.callOnce(server.port(),
        request(newId(), "answer", "null"))).asInt()).isEqualTo(41);
  }

  interface Answer {
    int answer();
  }
}
