package io.keelrpc.core.occ;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.RpcException;
import io.keelrpc.core.wire.ErrorObject;
import org.junit.jupiter.api.Test;

class OccErrorsTypedTest {

  /** What a client receives: the wire error object turned back into an exception. */
  private static Throwable overTheWire(ApplicationException sent) {
    ErrorObject wire = sent.toErrorObject();
    return OccErrors.typed(RpcException.from(wire));
  }

  @Test
  void versionMismatchKeepsEveryFieldAcrossTheWire() {
    Throwable typed = overTheWire(new VersionMismatchException("k", 3, 5, "w-9", 4L));

    assertThat(typed).isInstanceOfSatisfying(VersionMismatchException.class, e -> {
      assertThat(e.key()).isEqualTo("k");
      assertThat(e.expectedVersion()).isEqualTo(3);
      assertThat(e.actualVersion()).isEqualTo(5);
      assertThat(e.writerId()).isEqualTo("w-9");
      assertThat(e.appliedVersion()).isEqualTo(4L);
      assertThat(e.code()).isEqualTo(OccErrors.VERSION_MISMATCH);
    });
  }

  @Test
  void versionMismatchWithoutWriterInformationProvesNothing() {
    Throwable typed = overTheWire(new VersionMismatchException("k", 3, 5, null, null));

    assertThat(((VersionMismatchException) typed).provesApplied("w-1")).isFalse();
  }

  @Test
  void mismatchProvesAppliedByLastWriterOrByRememberedVersion() {
    assertThat(new VersionMismatchException("k", 3, 4, "w-1", null).provesApplied("w-1")).isTrue();
    assertThat(new VersionMismatchException("k", 3, 5, "w-2", 4L).provesApplied("w-1")).isTrue();
    assertThat(new VersionMismatchException("k", 3, 5, "w-2", null).provesApplied("w-1")).isFalse();
  }

  @Test
  void keyExistsAndKeyNotFoundAreRecognised() {
    assertThat(overTheWire(new KeyExistsException("a", 2)))
        .isInstanceOfSatisfying(KeyExistsException.class,
            e -> assertThat(e.actualVersion()).isEqualTo(2));
    assertThat(overTheWire(new KeyNotFoundException("b")))
        .isInstanceOfSatisfying(KeyNotFoundException.class,
            e -> assertThat(e.key()).isEqualTo("b"));
  }

  @Test
  void otherApplicationErrorsAndForeignDataPassThroughUnchanged() {
    ApplicationException other = new ApplicationException(42, "nope");
    ApplicationException sameCodeNoKey = new ApplicationException(OccErrors.KEY_EXISTS, "odd");
    IllegalStateException notAnAnswer = new IllegalStateException("x");

    assertThat(OccErrors.typed(other)).isSameAs(other);
    assertThat(OccErrors.typed(sameCodeNoKey)).isSameAs(sameCodeNoKey);
    assertThat(OccErrors.typed(notAnAnswer)).isSameAs(notAnAnswer);
  }
}
