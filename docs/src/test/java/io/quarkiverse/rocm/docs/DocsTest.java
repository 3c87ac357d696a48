package io.quarkiverse.rocm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The documentation cannot drift from the code: every {@code xref:} and {@code include::} of the Antora pages resolves,
 * every link from the README into the repository names a file that exists, and every {@code quarkus.rocm.*} property
 * that an example configuration sets (the README's {@code properties} blocks, the pages' {@code [source,properties]}
 * blocks) is one the generated configuration reference describes; every page is in the navigation and every command
 * is run by a test. Read from the sources, so a failure names the page and the reference ({@link AntoraSiteTest}
 * renders them with Antora itself).
 */
class DocsTest {

    static final Path DOCS = Path.of("modules", "ROOT");
    static final Path README = Path.of("..", "README.md");
    static final Pattern XREF = Pattern.compile("xref:([^\\[#]+)(#[^\\[]*)?\\[");
    static final Pattern INCLUDE = Pattern.compile("include::([^\\[]+)\\[([^\\]]*)]");
    static final Pattern LINK = Pattern.compile("\\]\\(((?!https?:|#|mailto:)[^)\\s]+)\\)");
    static final Pattern SETTING = Pattern.compile("^\\s*(?:%[\\w-]+\\.)?(quarkus\\.rocm\\.[^=\\s]+)\\s*=",
            Pattern.MULTILINE);
    static final Pattern DOCUMENTED = Pattern.compile("quarkus\\.rocm\\.[a-zA-Z0-9.\"_-]+");

    static List<Path> pages() throws IOException {
        try (Stream<Path> files = Files.walk(DOCS)) {
            return files.filter(p -> p.toString().endsWith(".adoc") && !p.endsWith("nav.adoc")).sorted().toList();
        }
    }

    @Test
    void everyXrefAndIncludeResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            String text = Files.readString(page);
            Matcher x = XREF.matcher(text);
            while (x.find()) {
                Path target = DOCS.resolve("pages").resolve(x.group(1));
                if (!Files.exists(target)) {
                    broken.add(page + ": xref:" + x.group(1));
                } else if (x.group(2) != null && !hasAnchor(Files.readString(target), x.group(2).substring(1))) {
                    broken.add(page + ": xref:" + x.group(1) + x.group(2) + " (no such anchor)");
                }
            }
            Matcher image = Pattern.compile("(?m)^image::([^\\[]+)\\[").matcher(text);
            while (image.find()) {
                if (!Files.exists(DOCS.resolve("images").resolve(image.group(1)))) {
                    broken.add(page + ": image::" + image.group(1));
                }
            }
            Matcher i = INCLUDE.matcher(text);
            while (i.find()) {
                String target = i.group(1);
                Path file = target.startsWith("example$") ? DOCS.resolve("examples").resolve(target.substring(8))
                        : page.getParent().resolve(target);
                if (!Files.exists(file)) {
                    broken.add(page + ": include::" + target);
                } else if (i.group(2).startsWith("tag=")
                        && !Files.readString(file).contains("tag::" + i.group(2).substring(4).replaceAll(",.*", "") + "[]")) {
                    broken.add(page + ": include::" + target + "[" + i.group(2) + "] (no such tag)");
                }
            }
        }
        assertThat(broken).as("references to pages, anchors, files, tags and images that do not exist").isEmpty();
        assertThat(pages()).as("the pages").hasSizeGreaterThan(10);
    }

    @Test
    void everyPageIsInTheNavigation() throws IOException {
        String nav = Files.readString(DOCS.resolve("nav.adoc"));
        List<String> missing = pages().stream().filter(p -> !p.getParent().endsWith("includes"))
                .map(p -> p.getFileName().toString()).filter(name -> !nav.contains("xref:" + name + "[")).toList();
        assertThat(missing).as("pages the navigation does not list").isEmpty();
    }

    /** The pages whose commands against the application run in a test, and the test. */
    static final Map<String, String> COMMANDS_RUN_BY = Map.of("getting-started.adoc", "GettingStartedGuideTest",
            "apis.adoc", "ApisGuideTest", "production.adoc", "ProductionGuideTest", "many-models.adoc",
            "ManyModelsGuideTest");

    /** The other commands of the pages, and what exercises them. */
    static final Map<String, String> OTHER_COMMANDS = Map.of(
            "./mvnw quarkus:dev", "Quarkus' own command; the extension's dev mode is tested by deployment's devmode/ tests",
            "./mvnw -B install -DskipTests && ./mvnw -B -pl integration-tests test -Pbench",
            "the benchmarks, run by hand: they assert nothing about speed, their figures are in the page",
            "java -jar quarkus-rocm-testing.jar -o tiny.gguf", "TestingCommandTest");

    @Test
    void everyCommandOfThePagesIsExercised() throws IOException {
        List<String> unexercised = new ArrayList<>();
        for (Path page : pages()) {
            String name = DOCS.resolve("pages").relativize(page).toString();
            for (Guide.Block block : Guide.page(name).blocks("shell")) {
                String command = block.text().strip();
                boolean run = command.contains("localhost:8080") ? COMMANDS_RUN_BY.containsKey(name)
                        : OTHER_COMMANDS.containsKey(command);
                if (!run) {
                    unexercised.add(name + ": " + command);
                }
            }
        }
        assertThat(unexercised).as("commands no test runs (run them in the page's test, or say what exercises them)")
                .isEmpty();
        for (String name : COMMANDS_RUN_BY.keySet()) {
            assertThat(Guide.page(name).commands()).as("the commands of %s", name).isNotEmpty();
        }
    }

    /** An explicit anchor ({@code [[id]]}, {@code [#id]}) or the id Asciidoctor gives a section title. */
    static boolean hasAnchor(String page, String id) {
        if (page.contains("[[" + id + "]]") || page.contains("[#" + id + "]") || page.contains("[#" + id + ",")) {
            return true;
        }
        Matcher titles = Pattern.compile("(?m)^=+ (.+)$").matcher(page);
        while (titles.find()) {
            String auto = "_" + titles.group(1).toLowerCase().replaceAll("[^a-z0-9]+", "_").replaceAll("_+$", "");
            if (auto.equals(id)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theReadmesLinksIntoTheRepositoryExist() throws IOException {
        Matcher m = LINK.matcher(Files.readString(README));
        List<String> broken = new ArrayList<>();
        while (m.find()) {
            if (!Files.exists(README.getParent().resolve(m.group(1).replaceAll("#.*", "")))) {
                broken.add(m.group(1));
            }
        }
        assertThat(broken).as("links of the README to files that do not exist").isEmpty();
    }

    @Test
    void everyConfiguredPropertyIsDocumented() throws IOException {
        List<Pattern> documented = documented();
        assertThat(documented).as("the generated reference").hasSizeGreaterThan(50);
        Set<String> unknown = new TreeSet<>();
        for (String block : blocks(Files.readString(README), "```properties\n", "```")) {
            unknown.addAll(undocumented(block, documented));
        }
        for (Path page : pages()) {
            for (Guide.Block block : Guide.page(DOCS.resolve("pages").relativize(page).toString()).blocks("properties")) {
                unknown.addAll(undocumented(block.text(), documented));
            }
        }
        assertThat(unknown).as("properties the examples set that the configuration reference does not know").isEmpty();
    }

    /** The reference's properties, a quoted segment ({@code "model-name"}) matching any name. */
    static List<Pattern> documented() throws IOException {
        Set<String> keys = new TreeSet<>();
        Matcher m = DOCUMENTED.matcher(Files.readString(DOCS.resolve("pages/includes/quarkus-rocm.adoc")));
        while (m.find()) {
            keys.add(m.group().replaceAll("\\.$", ""));
        }
        List<Pattern> out = new ArrayList<>();
        for (String key : keys) {
            List<String> parts = new ArrayList<>();
            for (String part : key.replaceAll("\"[^\"]+\"", "\u0000").split("\u0000", -1)) {
                parts.add(Pattern.quote(part));
            }
            out.add(Pattern.compile(String.join("(?:\"[^\"]+\"|[^.\"]+)", parts)));
        }
        return out;
    }

    static List<String> undocumented(String block, List<Pattern> documented) {
        List<String> out = new ArrayList<>();
        Matcher m = SETTING.matcher(block);
        while (m.find()) {
            String key = m.group(1);
            if (documented.stream().noneMatch(p -> p.matcher(key).matches())) {
                out.add(key);
            }
        }
        return out;
    }

    static List<String> blocks(String text, String start, String end) {
        List<String> out = new ArrayList<>();
        int at = text.indexOf(start);
        while (at >= 0) {
            int close = text.indexOf(end, at + start.length());
            if (close < 0) {
                break;
            }
            out.add(text.substring(at + start.length(), close));
            at = text.indexOf(start, close + end.length());
        }
        return out;
    }
}
