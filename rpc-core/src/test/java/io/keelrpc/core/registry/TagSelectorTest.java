package io.keelrpc.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing and matching of tag selectors. */
class TagSelectorTest {
  @Test
  void everyTermMustHold() {
    TagSelector s = TagSelector.parse(" role = worker , zone!=b, canary ");

    assertThat(s).hasToString("role=worker,zone!=b,canary");
    assertThat(s.matches(Map.of("role", "worker", "canary", ""))).isTrue();
    assertThat(s.matches(Map.of("role", "worker", "zone", "a", "canary", "1"))).isTrue();
    assertThat(s.matches(Map.of("role", "worker", "zone", "b", "canary", "1"))).isFalse();
    assertThat(s.matches(Map.of("role", "leader", "canary", "1"))).isFalse();
    assertThat(s.matches(Map.of("role", "worker"))).isFalse();
  }

  @Test
  void emptySelectorMatchesEverything() {
    assertThat(TagSelector.parse("  ")).isEqualTo(TagSelector.all());
    assertThat(TagSelector.all().matches(Map.of())).isTrue();
  }

  @Test
  void canonicalFormParsesBackToAnEqualSelector() {
    TagSelector s = TagSelector.parse("a=1,b!=2,c");
    assertThat(TagSelector.parse(s.toString())).isEqualTo(s).hasSameHashCodeAs(s);
  }

  @Test
  void badSelectorsAreRefusedNamingTheProblem() {
    assertThatIllegalArgumentException().isThrownBy(() -> TagSelector.parse("role=worker,"))
        .withMessageContaining("empty term");
    assertThatIllegalArgumentException().isThrownBy(() -> TagSelector.parse("=worker"))
        .withMessageContaining("tag name: ''");
    assertThatIllegalArgumentException().isThrownBy(() -> TagSelector.parse("role=a b"))
        .withMessageContaining("value of tag role: 'a b'");
  }
}
