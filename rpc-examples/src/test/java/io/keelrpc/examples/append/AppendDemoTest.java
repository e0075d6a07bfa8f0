package io.keelrpc.examples.append;

import static org.assertj.core.api.Assertions.assertThat;

import io.keelrpc.examples.CommandRunner;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class AppendDemoTest {
  @Test
  void naiveAppendDuplicatesAndTheRedesignKeepsOneItem() {
    InMemoryAppendService cached = new InMemoryAppendService();
    InMemoryAppendService uncached = new InMemoryAppendService();

    new AppendDemo(cached, uncached).run(new PrintWriter(new StringWriter()));

    // 1. two logical calls (two ids): the handler ran twice and the item is there twice
    assertThat(cached.items(AppendDemo.NAIVE_LIST).items())
        .containsExactly(AppendDemo.ITEM, AppendDemo.ITEM);
    assertThat(cached.appendRuns()).isEqualTo(2);
    // 2. one idempotency key: the server's cache answered the second delivery
    assertThat(cached.items(AppendDemo.KEYED_LIST).items()).containsExactly(AppendDemo.ITEM);
    assertThat(cached.appendOnceRuns()).isEqualTo(1);
    // 3. no cache: the handler ran twice, and set semantics made the second run a no-op
    assertThat(uncached.items(AppendDemo.UNCACHED_LIST).items()).containsExactly(AppendDemo.ITEM);
    assertThat(uncached.appendOnceRuns()).isEqualTo(2);
  }

  @Test
  void appendDemoCommandExplainsEachCase() {
    CommandRunner.Execution run = CommandRunner.execute("append-demo");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("list \"naive\" = [milk, milk]   (handler ran 2 times)")
        .contains("-> DUPLICATED")
        .contains("list \"keyed\" = [milk]   (handler ran 1 time)")
        .contains("idempotency cache answered the second delivery")
        .contains("list \"keyed-no-cache\" = [milk]   (handler ran 2 times)")
        .contains("set semantics");
  }
}
