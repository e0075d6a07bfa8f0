package io.keelrpc.examples.append;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keelrpc.core.ApplicationException;
import io.keelrpc.core.InvalidParamsException;
import org.junit.jupiter.api.Test;

class InMemoryAppendServiceTest {
  private final InMemoryAppendService service = new InMemoryAppendService();

  @Test
  void appendAddsEveryTime() {
    service.append("l", "x");
    service.append("l", "x");

    assertThat(service.items("l").items()).containsExactly("x", "x");
    assertThat(service.appendRuns()).isEqualTo(2);
  }

  @Test
  void appendOnceWithTheSameItemIdIsANoOp() {
    service.appendOnce("l", "id-1", "x");
    service.appendOnce("l", "id-1", "x");

    assertThat(service.items("l").items()).containsExactly("x");
    assertThat(service.appendOnceRuns()).isEqualTo(2);
  }

  @Test
  void appendOnceWithDifferentItemIdsAddsBoth() {
    service.appendOnce("l", "id-1", "x");
    service.appendOnce("l", "id-2", "x");

    assertThat(service.items("l").items()).containsExactly("x", "x");
  }

  @Test
  void itemIdReusedForAnotherItemIsAConflict() {
    service.appendOnce("l", "id-1", "x");

    assertThatThrownBy(() -> service.appendOnce("l", "id-1", "y"))
        .isInstanceOf(ApplicationException.class)
        .hasMessageContaining("itemId \"id-1\"")
        .extracting(e -> ((ApplicationException) e).code())
        .isEqualTo(AppendService.ITEM_ID_CONFLICT);
    assertThat(service.items("l").items()).containsExactly("x");
  }

  @Test
  void missingNamesAreInvalidParams() {
    assertThatThrownBy(() -> service.append("", "x"))
        .isInstanceOf(InvalidParamsException.class).hasMessageContaining("list: \"\"");
    assertThatThrownBy(() -> service.appendOnce("l", null, "x"))
        .isInstanceOf(InvalidParamsException.class).hasMessageContaining("itemId: missing");
    assertThatThrownBy(() -> service.append("l", null))
        .isInstanceOf(InvalidParamsException.class).hasMessageContaining("item: missing");
  }

  @Test
  void unknownListIsEmpty() {
    assertThat(service.items("none").items()).isEmpty();
  }
}
