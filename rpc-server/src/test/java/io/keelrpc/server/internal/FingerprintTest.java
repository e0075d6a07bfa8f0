package io.keelrpc.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The fingerprint tells a retry (same method, same params bytes) from a reused key. */
class FingerprintTest {
  @Test
  void sameMethodAndParamsGiveTheSameFingerprint() throws Exception {
    assertThat(Fingerprint.of("inc", json("{\"key\":\"a\",\"delta\":2}")))
        .isEqualTo(Fingerprint.of("inc", json("{\"key\":\"a\",\"delta\":2}")));
  }

  @Test
  void differentParamsOrMethodGiveDifferentFingerprints() throws Exception {
    long base = Fingerprint.of("inc", json("{\"key\":\"a\",\"delta\":2}"));

    assertThat(Fingerprint.of("inc", json("{\"key\":\"a\",\"delta\":3}"))).isNotEqualTo(base);
    assertThat(Fingerprint.of("inc", json("{\"key\":\"b\",\"delta\":2}"))).isNotEqualTo(base);
    assertThat(Fingerprint.of("dec", json("{\"key\":\"a\",\"delta\":2}"))).isNotEqualTo(base);
    assertThat(Fingerprint.of("inc", json("{\"key\":\"a\",\"delta\":\"2\"}"))).isNotEqualTo(base);
    assertThat(Fingerprint.of("inc", json("[{\"key\":\"a\",\"delta\":2}]"))).isNotEqualTo(base);
  }

  @Test
  void absentParamsDifferFromEmptyAndNestedValuesCount() throws Exception {
    assertThat(Fingerprint.of("m", null)).isNotEqualTo(Fingerprint.of("m", json("{}")));
    assertThat(Fingerprint.of("m", json("{\"a\":[1,2]}")))
        .isNotEqualTo(Fingerprint.of("m", json("{\"a\":[1],\"b\":2}")))
        .isNotEqualTo(Fingerprint.of("m", json("{\"a\":[2,1]}")));
  }

  @Test
  void methodAndParamsBoundaryIsUnambiguous() throws Exception {
    assertThat(Fingerprint.of("ab", json("\"c\""))).isNotEqualTo(Fingerprint.of("a", json("\"bc\"")));
  }

  @Test
  void paramsAreComparedAsSentSoReorderedMembersAreADifferentRequest() throws Exception {
    assertThat(Fingerprint.of("inc", json("{\"key\":\"a\",\"delta\":2}")))
        .isNotEqualTo(Fingerprint.of("inc", json("{\"delta\":2,\"key\":\"a\"}")));
  }

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
