package io.quarkiverse.rocm.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One page of the guides as its tests read it: its source blocks ({@code [source,LANG]} or {@code [#id,source,LANG]}
 * followed by a {@code ----} block), with the examples they include ({@code include::example$PATH[tag=NAME]})
 * resolved, so a test runs exactly what the page shows.
 */
public final class Guide {

    /** The Antora module, relative to this module's folder (where the tests run). */
    public static final Path MODULE = Path.of("modules", "ROOT");

    static final Pattern BLOCK = Pattern.compile("(?m)^\\[(?:#([\\w-]+),)?source(?:,([\\w-]+))?[^\\]]*]\\n----\\n(.*?)\\n----$",
            Pattern.DOTALL);
    static final Pattern INCLUDE = Pattern.compile("(?m)^include::example\\$([^\\[]+)\\[(?:tags?=([\\w-]+))?[^\\]]*]$");

    /** A source block: its id (or null), its language (or null) and its text, includes resolved. */
    public record Block(String id, String language, String text) {
    }

    private final String name;
    private final String text;

    private Guide(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /** The page {@code pages/NAME}. */
    public static Guide page(String name) {
        try {
            return new Guide(name, Files.readString(MODULE.resolve("pages").resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every page of the guides, the generated reference included. */
    public static List<Path> pages() {
        try (var files = Files.walk(MODULE.resolve("pages"))) {
            return files.filter(p -> p.toString().endsWith(".adoc")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public String text() {
        return text;
    }

    public List<Block> blocks(String language) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (language.equals(m.group(2))) {
                out.add(new Block(m.group(1), m.group(2), resolve(m.group(3))));
            }
        }
        return out;
    }

    /** The block of this id; fails naming the page when there is none. */
    public Block block(String id) {
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (id.equals(m.group(1))) {
                return new Block(m.group(1), m.group(2), resolve(m.group(3)));
            }
        }
        throw new IllegalStateException(name + " has no block [#" + id + ",source,...]");
    }

    /** The properties the block of this id sets, in order. */
    public Map<String, String> propertiesOf(String id) {
        return parse(block(id).text());
    }

    /** The properties a {@code properties} block sets, in order, without their comments. */
    public static Map<String, String> parse(String block) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : block.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not a property: " + line);
            }
            String value = l.substring(eq + 1).replaceAll("\\s+#.*$", "").strip();
            out.put(l.substring(0, eq).strip(), value);
        }
        return out;
    }

    /** The shell blocks of this page that call the application at localhost:8080. */
    public List<String> commands() {
        return blocks("shell").stream().map(Block::text).filter(t -> t.contains("localhost:8080")).toList();
    }

    static String resolve(String block) {
        Matcher m = INCLUDE.matcher(block);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(example(m.group(1), m.group(2))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** An example file, or the region of it between {@code tag::NAME[]} and {@code end::NAME[]}. */
    static String example(String path, String tag) {
        String file;
        try {
            file = Files.readString(MODULE.resolve("examples").resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (tag == null) {
            return file.replaceAll("(?m)^.*(tag|end)::[\\w-]+\\[].*\\n", "").strip();
        }
        int start = file.indexOf("tag::" + tag + "[]");
        int end = file.indexOf("end::" + tag + "[]");
        if (start < 0 || end < 0) {
            throw new IllegalStateException(path + " has no tag " + tag);
        }
        String region = file.substring(file.indexOf('\n', start) + 1, file.lastIndexOf('\n', end));
        return region.replaceAll("(?m)^.*(tag|end)::[\\w-]+\\[].*\\n", "");
    }
}
