package io.keelrpc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.keelrpc.core.wire.CancelNotification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names under the reserved {@code $/} prefix belong to the protocol, not to services. */
class MethodDescriptorReservedNameTest {
  record Params(String key) {}

  @ParameterizedTest
  @ValueSource(strings = {CancelNotification.METHOD, "$/", "$/progress"})
  void namesUnderTheReservedPrefixAreRefused(String name) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> MethodDescriptor.of(name, Params.class, String.class))
        .withMessage("name: \"" + name + "\" (expected: not starting with \"$/\", which is "
            + "reserved for protocol messages such as $/cancel)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"$cancel", "a$/cancel", "$", "/cancel"})
  void namesThatOnlyResembleThePrefixAreAccepted(String name) {
    assertThat(MethodDescriptor.of(name, Params.class, String.class).name()).isEqualTo(name);
  }
}
