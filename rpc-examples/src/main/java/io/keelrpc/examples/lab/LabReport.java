package io.keelrpc.examples.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes the lab's results as {@code results.csv} and {@code results.md}. */
public final class LabReport {
  /** File name of the CSV table. */
  public static final String CSV = "results.csv";
  /** File name of the Markdown table. */
  public static final String MARKDOWN = "results.md";

  private LabReport() {}

  /**
   * Writes both tables into {@code dir} (created if missing), replacing earlier ones.
   *
   * @param header lines describing the run, written above the Markdown table
   * @return the files written, CSV first
   * @throws IOException if a file cannot be written
   */
  public static List<Path> write(Path dir, List<CellResult> results, List<String> header)
      throws IOException {
    Files.createDirectories(dir);
    List<String> csv = new ArrayList<>(results.size() + 1);
    csv.add(CellResult.CSV_HEADER);
    results.forEach(r -> csv.add(r.csvRow()));
    Path csvFile = Files.write(dir.resolve(CSV), csv, StandardCharsets.UTF_8);
    Path mdFile = Files.writeString(dir.resolve(MARKDOWN), markdown(results, header),
        StandardCharsets.UTF_8);
    return List.of(csvFile, mdFile);
  }

  /** The Markdown table, after the header lines. */
  public static String markdown(List<CellResult> results, List<String> header) {
    StringBuilder sb = new StringBuilder();
    header.forEach(h -> sb.append(h).append('\n'));
    if (!header.isEmpty()) {
      sb.append('\n');
    }
    sb.append(CellResult.markdownHeader()).append('\n');
    results.forEach(r -> sb.append(r.markdownRow()).append('\n'));
    return sb.toString();
  }
}
