package io.keelrpc.core.wire;

/**
 * The kinds of streaming call of {@code keel/1}, as named by {@code meta.stream} in the request
 * that opens one. Which side sends items decides everything else: a side that receives items
 * grants the sender credit, a side that sends items waits for it.
 *
 * <pre>
 * kind     meta.stream   client sends             server sends
 * SERVER   "server"      params (once)            items, then the answer (result null)
 * CLIENT   "client"      items, then $/stream/end the answer (the result)
 * BIDI     "bidi"        items, then $/stream/end items, then the answer (result null)
 * </pre>
 */
public enum StreamKind {
  /** One request, a stream of items from the server. */
  SERVER("server"),
  /** A stream of items from the client, one result from the server. */
  CLIENT("client"),
  /** Items in both directions at once. */
  BIDI("bidi");

  private final String wireName;

  StreamKind(String wireName) {
    this.wireName = wireName;
  }

  /** The value of {@code meta.stream} for this kind. */
  public String wireName() {
    return wireName;
  }

  /** True if the client sends items ({@code $/stream/item}) in this kind of stream. */
  public boolean clientSendsItems() {
    return this != SERVER;
  }

  /** True if the server sends items in this kind of stream. */
  public boolean serverSendsItems() {
    return this != CLIENT;
  }

  /** The kind named {@code wireName}, or {@code null} if it names none. */
  public static StreamKind fromWireName(String wireName) {
    for (StreamKind k : values()) {
      if (k.wireName.equals(wireName)) {
        return k;
      }
    }
    return null;
  }
}
