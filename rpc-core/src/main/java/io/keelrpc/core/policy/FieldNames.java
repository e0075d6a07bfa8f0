package io.keelrpc.core.policy;

/**
 * The names that {@link JsonLinesCallLog} and {@link CallSummary} give to a call's name, its code
 * and their totals: Keel's for RPC calls, or those of seed {@code 001}'s robust HTTP client.
 *
 * <table>
 *   <caption>Field names</caption>
 *   <tr><th></th><th>call name</th><th>code</th><th>total calls</th><th>calls by code</th></tr>
 *   <tr><td>{@link #RPC}</td><td>{@code method}</td><td>{@code code}</td>
 *       <td>{@code total_calls}</td><td>{@code by_code}</td></tr>
 *   <tr><td>{@link #HTTP}</td><td>{@code url}</td><td>{@code status}</td>
 *       <td>{@code total_urls}</td><td>{@code by_status}</td></tr>
 * </table>
 */
public enum FieldNames {
  /** Keel calls: {@code method}, {@code code}, {@code total_calls}, {@code by_code}. */
  RPC("method", "code", "total_calls", "by_code"),
  /** HTTP requests: {@code url}, {@code status}, {@code total_urls}, {@code by_status}. */
  HTTP("url", "status", "total_urls", "by_status");

  private final String nameField;
  private final String codeField;
  private final String totalField;
  private final String byCodeField;

  FieldNames(String nameField, String codeField, String totalField, String byCodeField) {
    this.nameField = nameField;
    this.codeField = codeField;
    this.totalField = totalField;
    this.byCodeField = byCodeField;
  }

  /** The field holding the call's name. */
  public String nameField() {
    return nameField;
  }

  /** The field holding an answer's code. */
  public String codeField() {
    return codeField;
  }

  /** The summary field counting calls. */
  public String totalField() {
    return totalField;
  }

  /** The summary field counting calls by the code they ended with. */
  public String byCodeField() {
    return byCodeField;
  }
}
