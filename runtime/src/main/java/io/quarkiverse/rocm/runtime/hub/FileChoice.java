package io.quarkiverse.rocm.runtime.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which files of a repository make the model, chosen exactly as the installed llama-server's {@code -hf} chooses them
 * (llama.cpp {@code common/download.cpp}: {@code find_best_model}, {@code get_split_files}, {@code find_best_mmproj}),
 * so that {@code llama-server -hf owner/repo:QUANT} and this application agree on the file.
 * <ul>
 * <li>with a tag, the first GGUF model file, in listing order, whose path matches {@code TAG[.-]} (case-insensitive);
 * without one, {@code Q4_K_M}, then {@code Q8_0}, then the first GGUF model file; an explicit tag that matches nothing
 * is an error;</li>
 * <li>a split model ({@code -00001-of-00003.gguf}) is chosen by its first part and brings all its parts;</li>
 * <li>files named {@code mmproj}, {@code imatrix}, {@code mtp-}, {@code eagle3-}, {@code dflash-} or {@code dspark-}
 * are not models;</li>
 * <li>the projector: the {@code mmproj} GGUF in the model's folder or one above it, the deepest first, then the one
 * whose quantization bits are nearest the model's.</li>
 * </ul>
 */
public final class FileChoice {

    private static final Pattern SPLIT = Pattern.compile("^(.+)-([0-9]{5})-of-([0-9]{5})$", Pattern.CASE_INSENSITIVE);
    private static final Pattern QUANT = Pattern.compile("[-.]([A-Z0-9_]+)$", Pattern.CASE_INSENSITIVE);
    private static final List<String> NOT_MODELS = List.of("mmproj", "imatrix", "mtp-", "eagle3-", "dflash-", "dspark-");
    private static final List<String> DEFAULT_TAGS = List.of("Q4_K_M", "Q8_0");

    /**
     * The chosen files.
     *
     * @param parts the model's file, or all parts of a split model, first part first
     * @param projector its multimodal projector, when the repository has one
     */
    public record Chosen(List<HubFile> parts, Optional<HubFile> projector) {

        /** The file llama-server opens (a split model's first part). */
        public HubFile primary() {
            return parts.get(0);
        }

        /** Every file to download. */
        public List<HubFile> all() {
            List<HubFile> all = new ArrayList<>(parts);
            projector.ifPresent(all::add);
            return all;
        }
    }

    private FileChoice() {
    }

    /**
     * Chooses the model's files among {@code files} (in the hub's listing order).
     *
     * @throws IllegalArgumentException naming the model and listing the GGUF files there are
     */
    public static Chosen choose(List<HubFile> files, HubModel model) {
        HubFile primary = null;
        if (model.file().isPresent()) {
            for (HubFile f : files) {
                if (f.path().equalsIgnoreCase(model.file().get())) {
                    primary = f;
                    break;
                }
            }
            if (primary == null) {
                throw new IllegalArgumentException("Repository " + model.repo() + " has no file '" + model.file().get()
                        + "' at " + model.revision() + ". Its GGUF files: " + ggufs(files));
            }
        } else {
            primary = bestModel(files, model.tag());
            if (primary == null) {
                throw new IllegalArgumentException(model.tag().isEmpty()
                        ? "Repository " + model.repo() + " has no GGUF model file at " + model.revision()
                                + ". Its files: " + ggufs(files)
                        : "Repository " + model.repo() + " has no GGUF file for the quantization '" + model.tag()
                                + "' at " + model.revision() + ". Its GGUF files: " + ggufs(files)
                                + ". Name one of their quantizations after the ':'.");
            }
        }
        return new Chosen(splitParts(files, primary), bestProjector(files, primary.path()));
    }

    private static HubFile bestModel(List<HubFile> files, String tag) {
        List<String> tags = tag.isEmpty() ? DEFAULT_TAGS : List.of(tag);
        for (String t : tags) {
            Pattern pattern = Pattern.compile(Pattern.quote(t) + "[.-]", Pattern.CASE_INSENSITIVE);
            for (HubFile f : files) {
                if (isModel(f.path()) && pattern.matcher(f.path()).find() && firstPart(f.path())) {
                    return f;
                }
            }
        }
        if (tag.isEmpty()) {
            for (HubFile f : files) {
                if (isModel(f.path()) && firstPart(f.path())) {
                    return f;
                }
            }
        }
        return null;
    }

    /** llama.cpp's {@code gguf_filename_is_model}. */
    static boolean isModel(String path) {
        if (!path.endsWith(".gguf")) {
            return false;
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        return NOT_MODELS.stream().noneMatch(name::contains);
    }

    private static boolean firstPart(String path) {
        Split s = split(path);
        return s.count <= 1 || s.index == 1;
    }

    private static List<HubFile> splitParts(List<HubFile> files, HubFile primary) {
        Split s = split(primary.path());
        if (s.count <= 1) {
            return List.of(primary);
        }
        List<HubFile> parts = new ArrayList<>();
        for (HubFile f : files) {
            Split p = split(f.path());
            if (p.count == s.count && p.prefix.equals(s.prefix)) {
                parts.add(f);
            }
        }
        parts.sort((a, b) -> Integer.compare(split(a.path()).index, split(b.path()).index));
        return parts;
    }

    /** llama.cpp's {@code find_best_sibling(files, model, "mmproj")}. */
    private static Optional<HubFile> bestProjector(List<HubFile> files, String model) {
        String[] modelParts = model.split("/", -1);
        int modelBits = quantBits(model);
        HubFile best = null;
        int bestDepth = 0;
        int bestDiff = 0;
        for (HubFile f : files) {
            if (!f.path().endsWith(".gguf") || !f.path().contains("mmproj")) {
                continue;
            }
            String[] parts = f.path().split("/", -1);
            int dirs = parts.length - 1;
            int depth = 0;
            while (depth < Math.min(modelParts.length - 1, dirs) && modelParts[depth].equals(parts[depth])) {
                depth++;
            }
            if (depth != dirs) { // the sibling's folder must be the model's or one above it
                continue;
            }
            int diff = Math.abs(quantBits(f.path()) - modelBits);
            if (best == null || depth > bestDepth || (depth == bestDepth && diff < bestDiff)) {
                best = f;
                bestDepth = depth;
                bestDiff = diff;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code Q4_0 -> 4}, {@code F16 -> 16}, {@code BF16 -> 16}; 0 without a quantization tag. */
    static int quantBits(String path) {
        String tag = split(path).tag;
        Matcher digits = Pattern.compile("[0-9]+").matcher(tag);
        return digits.find() ? Integer.parseInt(digits.group()) : 0;
    }

    private record Split(String prefix, String tag, int index, int count) {
    }

    private static Split split(String path) {
        if (!path.endsWith(".gguf")) {
            return new Split("", "", 0, 0);
        }
        String prefix = path.substring(0, path.length() - ".gguf".length());
        int index = 1;
        int count = 1;
        Matcher m = SPLIT.matcher(prefix);
        if (m.matches()) {
            index = Integer.parseInt(m.group(2));
            count = Integer.parseInt(m.group(3));
            prefix = m.group(1);
        }
        Matcher q = QUANT.matcher(prefix);
        String tag = q.find() ? q.group(1).toUpperCase(Locale.ROOT) : "";
        return new Split(prefix, tag, index, count);
    }

    private static String ggufs(List<HubFile> files) {
        List<String> names = files.stream().map(HubFile::path).filter(p -> p.endsWith(".gguf")).toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
