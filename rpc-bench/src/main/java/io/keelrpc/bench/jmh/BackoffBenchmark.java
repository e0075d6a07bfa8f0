package io.keelrpc.bench.jmh;

import io.keelrpc.core.retry.Jitter;
import io.keelrpc.core.retry.RetryPolicy;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link RetryPolicy#backoffNanos} for each {@link Jitter} strategy, with the default policy
 * otherwise (50 ms initial, x2, 5 s cap). Each operation computes the wait before retry 1, 2, 3
 * or 4 in turn (feeding the previous wait back, as the client does) with a pre-drawn uniform
 * number, so the random source's cost is not included.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class BackoffBenchmark {
  private static final int RANDOMS = 1024; // a power of two

  /** The jitter strategy. */
  @Param({"none", "proportional", "full", "equal", "decorrelated"})
  public String jitter;

  private RetryPolicy policy;
  private final double[] randoms = new double[RANDOMS];
  private int i;
  private long previous;

  @Setup(Level.Trial)
  public void setUp() {
    Jitter j;
    switch (jitter) {
      case "none": j = Jitter.none(); break;
      case "proportional": j = Jitter.proportional(0.2); break;
      case "full": j = Jitter.full(); break;
      case "equal": j = Jitter.equal(); break;
      case "decorrelated": j = Jitter.decorrelated(); break;
      default: throw new IllegalArgumentException("jitter: " + jitter);
    }
    policy = RetryPolicy.builder().jitter(j).build();
    SplittableRandom r = new SplittableRandom(42);
    for (int k = 0; k < RANDOMS; k++) {
      randoms[k] = r.nextDouble();
    }
  }

  @Benchmark
  public long backoffNanos() {
    int n = i++;
    int retry = (n & 3) + 1;
    long prev = retry == 1 ? 0 : previous;
    long wait = policy.backoffNanos(retry, prev, randoms[n & (RANDOMS - 1)]);
    previous = wait;
    return wait;
  }
}
