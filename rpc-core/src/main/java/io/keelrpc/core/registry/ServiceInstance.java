package io.keelrpc.core.registry;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One registered instance of a service: where to call it and the tags a {@link TagSelector}
 * matches. Immutable; its tags are a sorted copy.
 *
 * @param service the service name, e.g. {@code kv}: letters, digits and {@code . _ : / -}
 * @param id unique among the instances of the service; {@link #of} uses {@code host:port}
 * @param host the host or IP literal clients connect to (an advertised address, not a wildcard)
 * @param port 1..65535
 * @param tags tag names to values; names and values as {@link #checkTag} allows
 */
public record ServiceInstance(String service, String id, String host, int port,
    Map<String, String> tags) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._:/-]{0,256}");

  /**
   * Validates and copies.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the service, id, host, port or a tag is invalid
   */
  public ServiceInstance {
    checkName("service", service);
    checkName("id", id);
    Objects.requireNonNull(host, "host");
    if (host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.length() > 255) {
      throw new IllegalArgumentException(
          "host: '" + host + "' (expected: an address clients can reach, not a wildcard)");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
    Objects.requireNonNull(tags, "tags");
    TreeMap<String, String> copy = new TreeMap<>();
    tags.forEach((k, v) -> {
      checkTag(k, v);
      copy.put(k, v);
    });
    tags = java.util.Collections.unmodifiableSortedMap(copy);
  }

  /** An instance whose id is {@code host:port}: one instance per address and service. */
  public static ServiceInstance of(String service, String host, int port,
      Map<String, String> tags) {
    return new ServiceInstance(service, host + ":" + port, host, port, tags);
  }

  /** The address to connect to (resolved now if {@code host} is an IP literal). */
  public InetSocketAddress address() {
    return new InetSocketAddress(host, port);
  }

  /** A copy with {@code tags} instead of this instance's tags. */
  public ServiceInstance withTags(Map<String, String> newTags) {
    return new ServiceInstance(service, id, host, port, newTags);
  }

  /**
   * A copy with {@code changes} applied to the tags: a name mapped to a value sets the tag, a name
   * mapped to {@code null} removes it, other tags stay. Everything is validated first.
   *
   * @throws IllegalArgumentException if a name or value is invalid
   */
  public ServiceInstance withTagChanges(Map<String, String> changes) {
    Objects.requireNonNull(changes, "changes");
    Map<String, String> next = new TreeMap<>(tags);
    for (Map.Entry<String, String> e : changes.entrySet()) {
      if (e.getValue() == null) {
        checkName("tag name", e.getKey());
        next.remove(e.getKey());
      } else {
        checkTag(e.getKey(), e.getValue());
        next.put(e.getKey(), e.getValue());
      }
    }
    return withTags(next);
  }

  /**
   * Checks one tag: the name 1-128 and the value 0-256 characters of letters, digits and
   * {@code . _ : / -} (so that a {@link TagSelector} can spell every tag).
   *
   * @throws NullPointerException if the name or value is null
   * @throws IllegalArgumentException otherwise invalid
   */
  public static void checkTag(String name, String value) {
    checkName("tag name", name);
    Objects.requireNonNull(value, "value of tag " + name);
    if (!VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException("value of tag " + name + ": '" + value
          + "' (expected: 0-256 of letters, digits and . _ : / -)");
    }
  }

  /**
   * Checks a service name, instance id or tag name: 1-128 of letters, digits and
   * {@code . _ : / -}; {@code what} names it in the message.
   *
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException otherwise invalid
   */
  public static void checkName(String what, String name) {
    Objects.requireNonNull(name, what);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + ": '" + name + "' (expected: 1-128 of letters, digits and . _ : / -)");
    }
  }
}
