package io.keelrpc.redis.registry.internal;

import io.keelrpc.core.registry.ServiceInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Key names of the Redis registry and the mapping of records to hash fields and back. */
public final class RegistryKeys {
  /** Prefix of the hash fields that hold tags. */
  public static final String TAG_FIELD = "t.";

  private final String prefix;

  /** Keys under {@code prefix}, e.g. {@code keel:registry}. */
  public RegistryKeys(String prefix) {
    this.prefix = prefix;
  }

  /** {@code <prefix>:{svc}:i:} — followed by the id, the key of one record. */
  public String instancePrefix(String service) {
    return prefix + ":{" + service + "}:i:";
  }

  /** The hash of one instance. */
  public String instance(String service, String id) {
    return instancePrefix(service) + id;
  }

  /** The set of registered ids of a service. */
  public String ids(String service) {
    return prefix + ":{" + service + "}:ids";
  }

  /** The channel on which writes of a service are announced. */
  public String changes(String service) {
    return prefix + ":{" + service + "}:changes";
  }

  /** The keyspace-notification pattern of a service's records (any database). */
  public String keyspacePattern(String service) {
    return "__keyspace@*__:" + instancePrefix(service) + "*";
  }

  /** The service a {@link #changes} channel or keyspace channel names, or null. */
  public String serviceOf(String channel) {
    int open = channel.indexOf(prefix + ":{");
    if (open < 0) {
      return null;
    }
    int start = open + prefix.length() + 2;
    int close = channel.indexOf('}', start);
    return close < 0 ? null : channel.substring(start, close);
  }

  /** Field/value pairs of a record, without owner and version. */
  public static String[] fields(ServiceInstance i) {
    List<String> out = new ArrayList<>();
    out.add("host");
    out.add(i.host());
    out.add("port");
    out.add(Integer.toString(i.port()));
    for (Map.Entry<String, String> t : i.tags().entrySet()) {
      out.add(TAG_FIELD + t.getKey());
      out.add(t.getValue());
    }
    return out.toArray(String[]::new);
  }

  /**
   * The instance a record's fields describe, or null if they do not describe a valid one (a
   * record written by something else is ignored, not fatal).
   */
  public static ServiceInstance parse(String service, String id, List<?> flat) {
    Map<String, String> tags = new TreeMap<>();
    String host = null;
    String port = null;
    for (int k = 0; k + 1 < flat.size(); k += 2) {
      String f = String.valueOf(flat.get(k));
      String v = String.valueOf(flat.get(k + 1));
      if (f.equals("host")) {
        host = v;
      } else if (f.equals("port")) {
        port = v;
      } else if (f.startsWith(TAG_FIELD)) {
        tags.put(f.substring(TAG_FIELD.length()), v);
      }
    }
    try {
      return new ServiceInstance(service, id, host, Integer.parseInt(port), tags);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
