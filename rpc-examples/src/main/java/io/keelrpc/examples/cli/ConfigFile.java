package io.keelrpc.examples.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * One command's {@code --config} file, read and checked against the command's options: a JSON
 * ({@code .json}) or YAML (any other name) mapping of option names without their dashes to
 * values. Scalars become the option's text; a list becomes a split option's values joined with
 * its separator; a mapping (or a list for an option that does not split) becomes its JSON text,
 * for options that take JSON such as {@code kv-server --faults}. A {@code null} value is as if the
 * key were absent.
 */
final class ConfigFile {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ObjectMapper YAML = YAMLMapper.builder().build();

  private final Path path;
  private final Map<String, String> values;

  private ConfigFile(Path path, Map<String, String> values) {
    this.path = path;
    this.values = values;
  }

  /** The file's path as given. */
  Path path() {
    return path;
  }

  /** The text of {@code option} from the file, or {@code null} if the file does not set it. */
  String value(OptionSpec option) {
    return values.get(key(option));
  }

  /** The key of {@code option} in a config file: its longest name without the dashes. */
  static String key(OptionSpec option) {
    return option.longestName().replaceFirst("^-+", "");
  }

  /**
   * Reads {@code path} for {@code command}, whose {@code configurable} options may appear in it.
   *
   * @throws ParameterException if the file cannot be read, is not valid JSON or YAML, is not a
   *     mapping, or has a key that is not one of those options
   */
  static ConfigFile read(Path path, CommandSpec command, List<OptionSpec> configurable) {
    boolean json = path.getFileName() != null
        && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    JsonNode root;
    try {
      root = (json ? JSON : YAML).readTree(Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      throw error(command, path, "no such file");
    } catch (JacksonException e) {
      throw error(command, path, "not valid " + (json ? "JSON" : "YAML") + ": "
          + e.getOriginalMessage() + location(e));
    } catch (IOException e) {
      throw error(command, path, "cannot read it: " + e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return new ConfigFile(path, Map.of()); // an empty file sets nothing
    }
    if (!root.isObject()) {
      throw error(command, path, "expected a mapping of option names to values, found "
          + root.getNodeType().toString().toLowerCase(Locale.ROOT));
    }
    Map<String, OptionSpec> byKey = new LinkedHashMap<>();
    for (OptionSpec option : configurable) {
      byKey.put(key(option), option);
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      OptionSpec option = byKey.get(field.getKey());
      if (option == null) {
        throw error(command, path, "unknown key '" + field.getKey() + "'; "
            + command.name() + " takes " + String.join(", ", new TreeSet<>(byKey.keySet())));
      }
      String text = text(field.getValue(), option);
      if (text != null) {
        values.put(field.getKey(), text);
      }
    }
    return new ConfigFile(path, Collections.unmodifiableMap(values));
  }

  private static String text(JsonNode node, OptionSpec option) {
    if (node.isNull()) {
      return null;
    }
    if (node.isValueNode()) {
      return node.asText();
    }
    if (node.isArray() && !option.splitRegex().isEmpty() && allScalars(node)) {
      String separator = option.splitRegexSynopsisLabel().isEmpty()
          ? option.splitRegex() : option.splitRegexSynopsisLabel();
      List<String> items = new ArrayList<>();
      node.forEach(item -> items.add(item.asText()));
      return String.join(separator, items);
    }
    return node.toString(); // JSON text, e.g. kv-server's --faults
  }

  private static boolean allScalars(JsonNode array) {
    for (JsonNode item : array) {
      if (!item.isValueNode()) {
        return false;
      }
    }
    return true;
  }

  private static String location(JacksonException e) {
    return e.getLocation() == null || e.getLocation().getLineNr() < 1
        ? "" : " (line " + e.getLocation().getLineNr() + ")";
  }

  private static ParameterException error(CommandSpec command, Path path, String problem) {
    return new ParameterException(command.commandLine(),
        "Invalid config file " + path + ": " + problem);
  }
}
