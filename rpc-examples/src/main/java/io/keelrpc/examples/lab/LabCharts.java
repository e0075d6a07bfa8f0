package io.keelrpc.examples.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws the lab's PNG charts with XChart, headless, one series per client policy:
 *
 * <ul>
 *   <li>{@value #SUCCESS}: success rate against the per-attempt timeout, at the focus delay;
 *   <li>{@value #P99}: p99 latency of the successes against the server delay, at the focus
 *       timeout;
 *   <li>{@value #ATTEMPTS}: attempts per call against the server delay, at the focus timeout;
 *   <li>{@value #SERVER_RUNS}: server executions per call against the server delay, at the focus
 *       timeout.
 * </ul>
 *
 * <p>Cells without a value (no success, so no p99) are left out of their series.
 */
public final class LabCharts {
  /** File name of the success-rate chart. */
  public static final String SUCCESS = "success-rate.png";
  /** File name of the p99 chart. */
  public static final String P99 = "p99-latency.png";
  /** File name of the attempts chart. */
  public static final String ATTEMPTS = "attempts-per-call.png";
  /** File name of the server-work chart. */
  public static final String SERVER_RUNS = "server-runs-per-call.png";

  private static final Logger log = LoggerFactory.getLogger(LabCharts.class);
  private static final int WIDTH = 720;
  private static final int HEIGHT = 420;

  private LabCharts() {}

  /**
   * Writes the charts into {@code dir} (created if missing), replacing earlier ones.
   *
   * @param focusDelayMs the delay of the success-rate chart (one of the results' delays)
   * @param focusTimeoutMs the timeout of the other charts (one of the results' timeouts)
   * @return the files written
   * @throws IOException if a file cannot be written
   */
  public static List<Path> write(Path dir, List<CellResult> results, long focusDelayMs,
      long focusTimeoutMs) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    List<ClientPolicy> policies = results.stream().map(CellResult::policy).distinct().toList();

    XYChart success = chart("Success rate vs per-attempt timeout (server delay " + focusDelayMs
        + " ms)", "per-attempt timeout, ms (log scale)", "success rate, %");
    success.getStyler().setXAxisLogarithmic(true).setYAxisMin(0.0).setYAxisMax(100.0);
    addSeries(success, policies, results, r -> r.delayMs() == focusDelayMs,
        CellResult::timeoutMs, r -> 100 * r.successRate());
    save(success, dir.resolve(SUCCESS), written);

    XYChart p99 = chart("p99 latency of successful calls (per-attempt timeout " + focusTimeoutMs
        + " ms)", "server delay, ms", "p99 latency, ms");
    p99.getStyler().setYAxisMin(0.0);
    addSeries(p99, policies, results, r -> r.timeoutMs() == focusTimeoutMs,
        CellResult::delayMs, CellResult::p99Ms);
    save(p99, dir.resolve(P99), written);

    XYChart attempts = chart("Attempts per call (per-attempt timeout " + focusTimeoutMs + " ms)",
        "server delay, ms", "attempts per call");
    attempts.getStyler().setYAxisMin(0.0);
    addSeries(attempts, policies, results, r -> r.timeoutMs() == focusTimeoutMs,
        CellResult::delayMs, CellResult::attemptsPerCall);
    save(attempts, dir.resolve(ATTEMPTS), written);

    XYChart runs = chart("Server executions per call (per-attempt timeout " + focusTimeoutMs
        + " ms)", "server delay, ms", "server executions per call");
    runs.getStyler().setYAxisMin(0.0);
    addSeries(runs, policies, results, r -> r.timeoutMs() == focusTimeoutMs,
        CellResult::delayMs, CellResult::serverExecutionsPerCall);
    save(runs, dir.resolve(SERVER_RUNS), written);
    return written;
  }

  private static XYChart chart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(LegendPosition.OutsideE).setMarkerSize(7)
        .setAntiAlias(true);
    return chart;
  }

  private static void addSeries(XYChart chart, List<ClientPolicy> policies,
      List<CellResult> results, Predicate<CellResult> focus,
      ToLongFunction<CellResult> x, ToDoubleFunction<CellResult> y) {
    for (ClientPolicy policy : policies) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      results.stream()
          .filter(r -> r.policy() == policy && focus.test(r))
          .sorted((a, b) -> Long.compare(x.applyAsLong(a), x.applyAsLong(b)))
          .forEach(r -> {
            double v = y.applyAsDouble(r);
            if (!Double.isNaN(v)) {
              xs.add((double) x.applyAsLong(r));
              ys.add(v);
            }
          });
      if (!xs.isEmpty()) {
        chart.addSeries(policy.label(), xs, ys);
      }
    }
  }

  private static void save(XYChart chart, Path file, List<Path> written) throws IOException {
    if (chart.getSeriesMap().isEmpty()) {
      log.warn("{}: no data to draw, not written", file.getFileName());
      return;
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
    written.add(file);
  }
}
